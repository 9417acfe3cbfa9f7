"""Per-request SQL statement counts and server time as response headers, for load tests.

With `QUERY_COUNT_HEADER` on, every response carries `X-Query-Count` (statements run on
any engine while the request was handled) and `Server-Timing: app;dur=<ms>`, so a load
generator outside the process can report queries and server time per page. Off by default:
production has no use for it and it adds a listener on every statement.
"""

import time

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _count_statement(*_args) -> None:
    if has_request_context() and "query_count" in g:
        g.query_count += 1


def install_query_count_header(app: Flask) -> None:
    if not app.config.get("QUERY_COUNT_HEADER"):
        return
    # One listener for the process, whichever app turned it on: counting happens only in
    # requests whose app started a count, so other apps are unaffected.
    if not event.contains(Engine, "before_cursor_execute", _count_statement):
        event.listen(Engine, "before_cursor_execute", _count_statement)

    @app.before_request
    def _start() -> None:
        g.query_count = 0
        g.request_started = time.perf_counter()

    @app.after_request
    def _headers(response: Response) -> Response:
        if "query_count" in g:
            elapsed_ms = (time.perf_counter() - g.request_started) * 1000
            response.headers["X-Query-Count"] = str(g.query_count)
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
