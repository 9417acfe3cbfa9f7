"""Where a competition is in its life, derived from its flags and the clock.

draft -> scheduled -> running -> (frozen) -> ended -> finalized. Nothing here is stored:
`published`, `starts_at`, `freeze_at`, `ends_at` and `finalized_at` decide, so the status
can never disagree with the clock. Entries count from `starts_at` inclusive to `ends_at`
exclusive: a submission at the very second the competition ends is already too late.
"""

from datetime import UTC, datetime

from app.timeutil import utcnow

DRAFT, SCHEDULED, RUNNING, FROZEN, ENDED, FINALIZED = (
    "draft", "scheduled", "running", "frozen", "ended", "finalized")
STATUSES = (DRAFT, SCHEDULED, RUNNING, FROZEN, ENDED, FINALIZED)
LABELS = {DRAFT: "Draft", SCHEDULED: "Upcoming", RUNNING: "Running", FROZEN: "Frozen",
          ENDED: "Ended", FINALIZED: "Final results"}


def status(competition, now: datetime | None = None) -> str:
    """One of STATUSES for `competition` at `now` (UTC)."""
    now = now or utcnow()
    if not competition.published:
        return DRAFT
    if competition.finalized_at is not None:
        return FINALIZED
    if now < competition.starts_at:
        return SCHEDULED
    if now >= competition.ends_at:
        return ENDED
    if competition.freeze_at is not None and now >= competition.freeze_at:
        return FROZEN
    return RUNNING


def is_open(competition, now: datetime) -> bool:
    """Whether entries (answers, files, hints) are accepted at `now`."""
    return (competition.published and competition.finalized_at is None
            and competition.starts_at <= now < competition.ends_at)


def closed_message(competition, now: datetime) -> str | None:
    """Why entries are refused at `now`, naming the boundary; None while open."""
    if not competition.published:
        return "This competition is not published yet."
    if now < competition.starts_at:
        return f"The competition starts at {when(competition.starts_at)}."
    if now >= competition.ends_at or competition.finalized_at is not None:
        return f"The competition ended at {when(competition.ends_at)}."
    return None


def is_over(competition, now: datetime) -> bool:
    """Ended or finalized: what is secret during the contest may be shown."""
    return status(competition, now) in (ENDED, FINALIZED)


def board_cutoff(competition, now: datetime, *, staff: bool) -> datetime | None:
    """The moment a viewer's board stops at: `freeze_at` for non-staff from the freeze
    until the results are final; None (live) for staff and for unfrozen boards."""
    if staff or competition.freeze_at is None or competition.finalized_at is not None:
        return None
    return competition.freeze_at if now >= competition.freeze_at else None


def countdown_target(competition, now: datetime) -> datetime | None:
    """The next boundary a page counts down to: the start, then the end."""
    state = status(competition, now)
    if state == SCHEDULED:
        return competition.starts_at
    if state in (RUNNING, FROZEN):
        return competition.ends_at
    return None


def when(moment: datetime) -> str:
    """A UTC time as messages write it: '2026-05-01 12:00 UTC' (seconds when not zero)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC" if moment.second else "%Y-%m-%d %H:%M UTC")


def as_utc(moment: datetime | None) -> datetime | None:
    """A time as the database stores it: naive UTC (aware times are converted)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
