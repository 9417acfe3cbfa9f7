"""The rules of bounties, as plain values and functions: no Flask, no database, no `app`.

Modelled on Stack Overflow: 50-500 points in steps of 50 on a question at least two days
old, running seven days; an unawarded bounty pays half to the best answer written while
it ran, if that answer reached a score of 2.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_AMOUNT = 50
MAX_AMOUNT = 500
AMOUNT_STEP = 50
AMOUNTS = tuple(range(MIN_AMOUNT, MAX_AMOUNT + 1, AMOUNT_STEP))

MIN_QUESTION_AGE = timedelta(hours=48)
DURATION = timedelta(days=7)
MAX_ACTIVE_PER_USER = 3
MAX_REASON_LENGTH = 300

# An unawarded bounty pays this share to an answer with at least this score.
EXPIRY_MIN_SCORE = 2


def amount_problem(amount: int | None) -> str | None:
    """Why `amount` is not a valid bounty, or None when it is."""
    if amount is None:
        return "Choose how many points to offer."
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT or amount % AMOUNT_STEP:
        return (
            f"Offer {MIN_AMOUNT} to {MAX_AMOUNT} points, in steps of {AMOUNT_STEP}."
        )
    return None


def points_problem(amount: int, *, points: int, floor: int) -> str | None:
    """The points leave at once, and the offerer keeps at least `floor` of them."""
    if points - amount >= floor:
        return None
    most = (points - floor) // AMOUNT_STEP * AMOUNT_STEP
    if most < MIN_AMOUNT:
        return (
            f"You have {points:,} points; a bounty of {MIN_AMOUNT} needs at least "
            f"{MIN_AMOUNT + floor:,}."
        )
    return (
        f"You have {points:,} points and must keep at least {floor}, so you can offer "
        f"at most {most:,}."
    )


def age_problem(asked_at: datetime, now: datetime) -> str | None:
    """A question gets two days to find answers on its own before a bounty is allowed."""
    open_at = asked_at + MIN_QUESTION_AGE
    if now >= open_at:
        return None
    return (
        "A bounty can be offered once a question is 48 hours old "
        f"(this one in {remaining_text(open_at - now)})."
    )


def expiry_share(amount: int) -> int:
    """What an unawarded bounty pays: half, rounded down."""
    return amount // 2


@dataclass(frozen=True)
class Candidate:
    """An answer that might receive an unawarded bounty."""

    post_id: int
    author_id: int
    score: int
    created_at: datetime


def expiry_winner(
    candidates, *, offerer_id: int, started_at: datetime, ends_at: datetime
) -> Candidate | None:
    """The answer an unawarded bounty goes to, or None.

    Only answers written while the bounty ran, not by the offerer, with a score of at
    least EXPIRY_MIN_SCORE; the highest score wins, ties to the earliest answer.
    """
    eligible = [
        c
        for c in candidates
        if c.author_id != offerer_id
        and started_at <= c.created_at <= ends_at
        and c.score >= EXPIRY_MIN_SCORE
    ]
    if not eligible:
        return None
    return min(eligible, key=lambda c: (-c.score, c.created_at, c.post_id))


def remaining_text(left: timedelta) -> str:
    """'6 days', '5 hours', '12 min' or 'less than a minute': the larger unit, rounded down."""
    seconds = int(left.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 7200:
        return f"{seconds // 3600} hours"
    if seconds >= 3600:
        return "1 hour"
    if seconds >= 120:
        return f"{seconds // 60} min"
    if seconds >= 60:
        return "1 min"
    return "less than a minute"
