"""What each person lets us email them about, one choice per kind of email.

Notification kinds are sent at once, gathered into a daily summary, or never; the
re-engagement digest is marketing and needs a yes given at sign-up or in the
preferences, so its default is no. A kind without a stored row has its default. Only
this module reads or writes `EmailPreference`; the callers commit.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.insights.services import record
from app.outreach.models import EmailPreference
from app.timeutil import utcnow

IMMEDIATELY, DAILY, NEVER, SUBSCRIBED = "immediately", "daily", "never", "subscribed"
NOTIFY_MODES = (IMMEDIATELY, DAILY, NEVER)
MODE_LABELS = {IMMEDIATELY: "Right away", DAILY: "In a daily summary", NEVER: "Never",
               SUBSCRIBED: "Yes"}

REENGAGEMENT = "reengagement"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    modes: tuple[str, ...]
    default: str
    marketing: bool = False


KINDS = {kind.name: kind for kind in (
    Kind("answer", "Answers to your questions", NOTIFY_MODES, IMMEDIATELY),
    Kind("reply", "Replies to your posts", NOTIFY_MODES, IMMEDIATELY),
    Kind("mention", "Mentions of you", NOTIFY_MODES, IMMEDIATELY),
    Kind("message", "Private messages", NOTIFY_MODES, IMMEDIATELY),
    Kind("accepted", "Your answer accepted", NOTIFY_MODES, DAILY),
    Kind("bounty", "Bounties awarded to you", NOTIFY_MODES, IMMEDIATELY),
    Kind("membership", "Your membership: payments, renewals, ending", NOTIFY_MODES, IMMEDIATELY),
    Kind(REENGAGEMENT, "A personal digest when you have been away", (SUBSCRIBED, NEVER), NEVER,
         marketing=True),
)}


class UnknownPreference(ValueError):
    """A kind or mode that does not exist: a tampered form or link."""


def _check(kind: str, mode: str | None = None) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise UnknownPreference(f"unknown kind of email {kind!r}")
    if mode is not None and mode not in found.modes:
        raise UnknownPreference(f"{mode!r} is not a choice for {kind!r}")
    return found


def modes_of(user_id: int) -> dict[str, str]:
    """Every kind's mode for `user_id`, defaults filled in."""
    stored = dict(db.session.execute(
        select(EmailPreference.kind, EmailPreference.mode)
        .where(EmailPreference.user_id == user_id)).all())
    return {name: stored[name] if stored.get(name) in kind.modes else kind.default
            for name, kind in KINDS.items()}


def mode_of(user_id: int, kind: str) -> str:
    return modes_of(user_id)[_check(kind).name]


def users_with_mode(kind: str, mode: str, user_ids) -> set[int]:
    """Which of `user_ids` have `mode` for `kind`, in one query."""
    found = _check(kind, mode)
    ids = list(user_ids)
    stored = dict(db.session.execute(
        select(EmailPreference.user_id, EmailPreference.mode)
        .where(EmailPreference.kind == kind, EmailPreference.user_id.in_(ids))).all()) \
        if ids else {}
    return {user_id for user_id in ids if stored.get(user_id, found.default) == mode}


def set_mode(user_id: int, kind: str, mode: str) -> bool:
    """Store `mode` for `kind`; returns whether it changed. Does not commit."""
    _check(kind, mode)
    row = db.session.scalar(select(EmailPreference).where(
        EmailPreference.user_id == user_id, EmailPreference.kind == kind))
    if row is None:
        if mode == KINDS[kind].default:
            return False
        db.session.add(EmailPreference(user_id=user_id, kind=kind, mode=mode))
        return True
    if row.mode == mode:
        return False
    row.mode, row.updated_at = mode, utcnow()
    return True


def save(user, chosen: dict[str, str]) -> list[str]:
    """Set every kind in `chosen` (kind -> mode) for `user` and commit; returns the kinds
    that changed. Checks everything before writing, so a bad value changes nothing."""
    for kind, mode in chosen.items():
        _check(kind, mode)
    changed = [kind for kind, mode in chosen.items() if set_mode(user.id, kind, mode)]
    if changed:
        record("email_preferences", user=user, data={k: chosen[k] for k in changed})
    db.session.commit()
    return changed


def forget(user_id: int) -> None:
    """Back to the defaults (an account being deleted): nothing marketing remains."""
    db.session.execute(EmailPreference.__table__.delete()
                       .where(EmailPreference.user_id == user_id))
