"""Values a page may show a little behind, kept for some seconds in each worker process.

The home page's popular tags and the thread lists' counts are the costliest queries of
their pages on a large site, and a figure a minute old is fine beside a list that is
always fresh. Each worker keeps its own copy: nothing to invalidate, nothing shared.
"""

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

MAX_KEYS = 4096  # per name; past it expired values go, then everything


def kept_for(seconds: float, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for (`name`, `key`) less than `seconds` ago in this
    process; `seconds` 0 computes every time."""
    if not seconds:
        return compute()
    store: dict = current_app.extensions.setdefault(f"kept:{name}", {})
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    value = compute()
    if len(store) >= MAX_KEYS:
        for old in [k for k, (at, _) in store.items() if now - at >= seconds]:
            del store[old]
        if len(store) >= MAX_KEYS:
            store.clear()
    store[key] = (now, value)
    return value


def forget(name: str) -> None:
    """Drop every value kept under `name` in this process."""
    current_app.extensions.pop(f"kept:{name}", None)
