"""Who may get a re-engagement email today: rules over plain values, pure.

`audience.gather` reads the values for many people in a few queries; these rules decide.
Each rule names the reason someone is left out, so a run can count its exclusions and a
test can check them one by one. The order only decides which reason is counted when
several apply.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

TARGET_SEGMENTS = ("at-risk", "dormant")
CHURN_RISK_THRESHOLD = 0.7   # above this, whatever the segment (the rules give at-risk 0.7)
SEEN_WITHIN = timedelta(days=365)
MARKETING_GAP_DAYS = 7       # at most one marketing email in this many days
UNANSWERED_LIMIT = 3         # re-engagement emails in a row without a return visit


class Sent(NamedTuple):
    """One re-engagement email that went out, and when (if ever) the person came back."""

    sent_at: datetime
    returned_at: datetime | None


@dataclass(frozen=True)
class Candidate:
    """What the rules need to know about one person, as plain values."""

    user_id: int
    segment: str | None
    churn_risk: float | None
    verified: bool = True
    deleted: bool = False
    subscribed: bool = True
    suspended_until: datetime | None = None
    silenced: bool = False
    bounced: bool = False
    last_seen: datetime | None = None      # last_seen_at, else their latest event
    last_marketing: datetime | None = None  # latest marketing email sent, queued or held out
    recent_sends: tuple[Sent, ...] = ()     # their latest re-engagement emails, newest first
    has_content: bool = True                # something worth reading


def is_target(segment: str | None, churn_risk: float | None) -> bool:
    return segment in TARGET_SEGMENTS or (churn_risk is not None
                                          and churn_risk > CHURN_RISK_THRESHOLD)


def emailed_recently(last_marketing: datetime | None, as_of: datetime) -> bool:
    """A marketing email on day D blocks days D to D+6: counted in calendar days, so a
    daily job at a fixed hour sends every seventh day, not every eighth."""
    return (last_marketing is not None
            and last_marketing.date() > as_of.date() - timedelta(days=MARKETING_GAP_DAYS))


def ignored_in_a_row(sends: tuple[Sent, ...], last_seen: datetime | None) -> bool:
    """The last UNANSWERED_LIMIT emails brought no return visit, and the person has not
    been back since the latest of them: stop until they come back by themselves."""
    latest = sends[:UNANSWERED_LIMIT]
    if len(latest) < UNANSWERED_LIMIT or any(s.returned_at is not None for s in latest):
        return False
    return last_seen is None or last_seen <= max(s.sent_at for s in latest)


def seen_within_a_year(last_seen: datetime | None, as_of: datetime) -> bool:
    return last_seen is not None and last_seen >= as_of - SEEN_WITHIN


Rule = Callable[[Candidate, datetime], bool]

# (reason, "is left out") in the order they are checked.
EXCLUSIONS: tuple[tuple[str, Rule], ...] = (
    ("deleted", lambda c, _: c.deleted),
    ("not_at_risk", lambda c, _: not is_target(c.segment, c.churn_risk)),
    ("unverified", lambda c, _: not c.verified),
    ("not_subscribed", lambda c, _: not c.subscribed),
    ("suspended", lambda c, now: c.suspended_until is not None and c.suspended_until > now),
    ("silenced", lambda c, _: c.silenced),
    ("bounced", lambda c, _: c.bounced),
    ("not_seen_in_a_year", lambda c, now: not seen_within_a_year(c.last_seen, now)),
    ("emailed_recently", lambda c, now: emailed_recently(c.last_marketing, now)),
    ("ignored_in_a_row", lambda c, _: ignored_in_a_row(c.recent_sends, c.last_seen)),
    ("nothing_to_read", lambda c, _: not c.has_content),
)
REASONS = tuple(reason for reason, _ in EXCLUSIONS)


def exclusion(candidate: Candidate, as_of: datetime) -> str | None:
    """Why `candidate` gets no email at `as_of`, or None when they may get one."""
    return next((reason for reason, left_out in EXCLUSIONS if left_out(candidate, as_of)),
                None)
