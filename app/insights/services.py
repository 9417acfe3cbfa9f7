"""The one door into the event log."""

from datetime import datetime

from app.extensions import db
from app.insights.models import Event
from app.timeutil import utcnow

EVENT_TYPES = frozenset(
    {
        "login", "logout", "register", "verify_email", "view", "ask", "answer", "reply",
        "vote", "unvote", "accept", "unaccept", "edit", "delete", "undelete", "search",
        "profile_update", "settings_update", "export", "account_delete", "password_reset",
    }
)


def record(
    type: str,
    *,
    user=None,
    subject=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event to the session; the caller's transaction commits it.

    Adding to the caller's transaction means an action and its event land together or
    not at all. `subject` is any model with an `id`; its table name becomes the type.
    """
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    event = Event(
        type=type,
        user_id=_user_id(user),
        subject_type=subject.__table__.name if subject is not None else None,
        subject_id=_subject_id(subject),
        data=data or {},
        created_at=at or utcnow(),
    )
    db.session.add(event)
    return event


def _user_id(user) -> int | None:
    if user is None or isinstance(user, int):
        return user
    return user.id if getattr(user, "is_authenticated", False) else None


def _subject_id(subject) -> int | None:
    if subject is None:
        return None
    if subject.id is None:
        db.session.flush()
    return subject.id
