"""What every page benchmark shares: timing renders, counting SQL, naming the machine."""

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from sqlalchemy import event

RESULTS_DIR = Path(__file__).resolve().parent / "results"


class BenchError(Exception):
    """The benchmark cannot give meaningful numbers; the message says why."""


@dataclass(frozen=True)
class Renders:
    timings_ms: list[float]
    queries: list[int]  # SQL statements per render

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95_ms(self) -> float:
        return p95(self.timings_ms)


def time_renders(app, engine, get: Callable, *, user_id: int | None, renders: int,
                 warmup: int) -> Renders:
    """Call `get(client)` `warmup` times, then `renders` times timed, counting statements.

    With `user_id` the test client is signed in as that user, as Flask-Login's session
    would have it after a login.
    """
    client = app.test_client()
    if user_id is not None:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(user_id), True
    for _ in range(warmup):
        get(client)
    statements = 0

    def _count(*_args):
        nonlocal statements
        statements += 1

    timings, queries = [], []
    event.listen(engine, "before_cursor_execute", _count)
    try:
        for _ in range(renders):
            statements = 0
            started = time.perf_counter()
            get(client)
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(statements)
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return Renders(timings, queries)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
    }


def _cpu_model() -> str | None:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or None
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else None
