"""What a job function is given: the moment it computes for, and a way to report progress."""

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger("jobs")


class Progress:
    """A progress bar on a terminal, a log line every few seconds otherwise.

    Pure services take an optional `progress` and call `progress.track(...)` around their
    batches; `Progress.silent()` does nothing, for tests and callers that do not care.
    """

    def __init__(self, name: str, *, stream=None, interactive: bool | None = None,
                 log_every: float = 5.0, enabled: bool = True) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.log_every = log_every
        self.enabled = enabled

    @classmethod
    def silent(cls) -> "Progress":
        return cls("silent", enabled=False)

    def track(self, items: Iterable[T], *, total: int | None = None, label: str = "") -> Iterator[T]:
        """Yield `items`, reporting how many have passed (of `total` when known)."""
        if not self.enabled:
            yield from items
            return
        started = last = time.monotonic()
        done = 0
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if self.interactive and now - last >= 0.2:
                self._draw(label, done, total, now - started)
                last = now
            elif not self.interactive and now - last >= self.log_every:
                log.info("%s %s: %s", self.name, label, _count(done, total))
                last = now
        if self.interactive:
            self._draw(label, done, total, time.monotonic() - started)
            self.stream.write("\n")
        else:
            log.info("%s %s: %s done", self.name, label, _count(done, total))

    def _draw(self, label: str, done: int, total: int | None, elapsed: float) -> None:
        rate = done / elapsed if elapsed > 0 else 0.0
        if total:
            filled = int(30 * min(done, total) / total)
            bar = "#" * filled + "-" * (30 - filled)
            line = f"\r{self.name} {label} [{bar}] {done:,}/{total:,} ({rate:,.0f}/s)"
        else:
            line = f"\r{self.name} {label} {done:,} ({rate:,.0f}/s)"
        self.stream.write(line)
        self.stream.flush()


def _count(done: int, total: int | None) -> str:
    return f"{done:,}/{total:,}" if total else f"{done:,}"


@dataclass
class JobContext:
    """`as_of` is the moment the job computes for (now, or `--as-of` to replay a day)."""

    as_of: datetime
    progress: Progress = field(default_factory=Progress.silent)
