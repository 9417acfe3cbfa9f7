"""Slow mode as a rule on plain values: one post per person per N minutes.

A thread and its category may each be slowed, each counting the person's posts in its own
scope; the later of the two waits wins, so slowing a whole category never loosens a
thread slowed further by hand. Pure: no app, no database.
"""

from datetime import datetime, timedelta

MIN_MINUTES = 1
MAX_MINUTES = 1440  # a day


def valid_minutes(minutes: int | None) -> bool:
    return minutes is not None and MIN_MINUTES <= minutes <= MAX_MINUTES


def next_post_at(scopes: list[tuple[datetime | None, int | None]],
                 now: datetime) -> datetime | None:
    """When the person may post again, or None when they may post now.

    `scopes` holds (their last post in the scope, the scope's minutes) pairs; a scope
    without slow mode (None minutes) or without a post of theirs never holds them back.
    """
    waits = [last + timedelta(minutes=minutes) for last, minutes in scopes
             if minutes and last is not None]
    later = max(waits, default=None)
    return later if later is not None and later > now else None
