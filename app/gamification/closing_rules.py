"""The rules of closing and reopening questions: plain values, no Flask, no database.

Three live votes close a question (or reopen a closed one); a staff vote does it alone.
A vote stops counting 14 days after it was cast.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

VOTES_NEEDED = 3
VOTE_LIFETIME = timedelta(days=14)

# reason -> (what the vote form offers, how the closed notice says it)
REASONS: dict[str, tuple[str, str]] = {
    "duplicate": ("A duplicate of another question", "a duplicate"),
    "off_topic": ("Off-topic for this site", "off-topic"),
    "unclear": ("Unclear what is being asked", "unclear"),
    "needs_focus": ("Needs more focus: it asks several things at once", "needing more focus"),
}

# "123", "#123", "/t/123", "https://host/t/123/some-slug?page=2#post-9"
_THREAD_REF = re.compile(r"^(?:#?(\d+)|(?:[a-z][a-z0-9+.-]*://[^/\s]+)?/t/(\d+)(?:[/?#]\S*)?)$", re.I)


def is_live(cast_at: datetime, now: datetime) -> bool:
    return now - cast_at < VOTE_LIFETIME


def takes_effect(live_votes: int, *, by_staff: bool) -> bool:
    """Whether a vote just cast closes (or reopens) the question."""
    return by_staff or live_votes >= VOTES_NEEDED


@dataclass(frozen=True)
class Ballot:
    reason: str
    duplicate_of_id: int | None
    cast_at: datetime


def close_verdict(ballots, *, decided_by: Ballot | None = None) -> tuple[str, int | None]:
    """The reason (and original, for duplicates) a question closes with.

    A staff member's vote (`decided_by`) names the reason alone. Otherwise the reason
    most votes gave wins, and among duplicate votes the original most of them named;
    ties go to whichever was voted first.
    """
    if decided_by is not None:
        return decided_by.reason, decided_by.duplicate_of_id
    ordered = sorted(ballots, key=lambda b: b.cast_at)
    reason = _most_common([b.reason for b in ordered])
    if reason != "duplicate":
        return reason, None
    originals = [b.duplicate_of_id for b in ordered if b.reason == "duplicate" and b.duplicate_of_id]
    return reason, _most_common(originals) if originals else None


def _most_common(values: list):
    """The most frequent value; on a tie the one that appears first."""
    counts = Counter(values)
    return max(values, key=lambda v: (counts[v], -values.index(v)))


def parse_thread_ref(text: str | None) -> int | None:
    """The thread id in a number ("123", "#123") or a thread link ("…/t/123/slug")."""
    match = _THREAD_REF.match((text or "").strip())
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def notice_text(reason: str) -> str:
    """'Closed as off-topic', 'Closed as a duplicate' (the page adds the original's link)."""
    return f"Closed as {REASONS[reason][1]}" if reason in REASONS else "Closed"
