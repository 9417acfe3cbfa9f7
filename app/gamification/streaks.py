"""Streaks from the days someone was active: pure functions over dates.

A day counts once whatever happened on it. The current streak still stands on a day
with no activity yet, as long as yesterday was active: people keep their streak until
their own midnight passes.
"""

from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def streak_ending(days: Iterable[date], last: date) -> int:
    """Consecutive active days ending on `last` (0 if `last` itself was not active)."""
    active = set(days)
    length = 0
    while last - length * ONE_DAY in active:
        length += 1
    return length


def current_streak(days: Iterable[date], today: date) -> int:
    active = set(days)
    if today in active:
        return streak_ending(active, today)
    return streak_ending(active, today - ONE_DAY)


def longest_streak(days: Iterable[date]) -> int:
    ordered = sorted(set(days))
    best = run = 0
    previous = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        best = max(best, run)
        previous = day
    return best
