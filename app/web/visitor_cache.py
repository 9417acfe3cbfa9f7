"""Whole pages for visitors who are not signed in, kept for a few seconds per process.

Most of a community's readers are not signed in, and for them a thread or a list is the
same page for everyone. Building it again for each of them is most of what a busy site
does, so for `VISITOR_PAGE_CACHE_SECONDS` (0 turns it off) the first visitor's page is
handed to the next ones, the way Discourse serves anonymous readers. Members always get
a fresh page: their votes, their permissions and their new answer show at once.

A page is kept only when nothing in it belongs to one visitor: a flash message, a form
token (`csrf_token()`), or anything written to the session makes it personal, and it is
neither kept nor served from the cache. Only plain 200 HTML pages are kept, by their
full path and query, the least recently used going first once they fill
`VISITOR_PAGE_CACHE_MB`. Request hooks (rate limits, return tracking) run as
usual; the view itself is skipped, so a view that must count something (the thread
page's views) does that before asking for its page.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

EXTENSION = "visitor_pages"


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    content_type: str
    kept_at: float


class PageCache:
    """A thread-safe map of page key to page, each valid for `seconds`, holding at most
    `max_bytes` of page bodies."""

    def __init__(self, *, seconds: float, max_bytes: int,
                 clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.clock = clock
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if self.clock() - page.kept_at >= self.seconds:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, body: bytes, content_type: str) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = CachedPage(body, content_type, self.clock())
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._pages.pop(key).body)

    def __len__(self) -> int:
        return len(self._pages)


def install_visitor_cache(app: Flask) -> None:
    app.extensions[EXTENSION] = PageCache(
        seconds=app.config["VISITOR_PAGE_CACHE_SECONDS"],
        max_bytes=int(app.config["VISITOR_PAGE_CACHE_MB"] * 1024 * 1024),
    )


def visitor_page(render: Callable[[], object]) -> Response:
    """`render()`'s response, or for a plain visitor the same page kept a moment ago."""
    cache: PageCache = current_app.extensions[EXTENSION]
    if not cache.seconds or not _plain_visitor():
        return current_app.make_response(render())
    key = request.full_path
    kept = cache.get(key)
    if kept is not None:
        response = current_app.response_class(kept.body, content_type=kept.content_type)
        response.headers["X-Visitor-Cache"] = "hit"
        return response
    response = current_app.make_response(render())
    if _shareable(response):
        cache.put(key, response.get_data(), response.content_type)
        response.headers["X-Visitor-Cache"] = "miss"
    return response


def cached_for_visitors(view):
    """Serve this GET view's page to plain visitors through `visitor_page`."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return visitor_page(lambda: view(*args, **kwargs))

    return wrapper


def _plain_visitor() -> bool:
    return (request.method in ("GET", "HEAD") and not current_user.is_authenticated
            and "_flashes" not in session)


def _shareable(response: Response) -> bool:
    """Nothing in the page or its cookies belongs to the visitor who asked first."""
    return (response.status_code == 200 and response.mimetype == "text/html"
            and not response.direct_passthrough and not session.modified
            and current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in g
            and "Set-Cookie" not in response.headers)
