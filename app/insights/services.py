"""The one door into the event log, and the hook other packages react to events through."""

from collections.abc import Callable, Iterable
from datetime import datetime

from app.database import insert_in_batches, subject_ref
from app.extensions import db
from app.insights.models import Event
from app.timeutil import utcnow

EVENT_TYPES = frozenset(
    {
        "login", "logout", "register", "verify_email", "view", "ask", "answer", "reply",
        "vote", "unvote", "accept", "unaccept", "edit", "delete", "undelete", "search",
        "profile_update", "settings_update", "export", "account_delete", "password_reset",
        # Gamification: derived milestones, recorded so notifications and analytics see them.
        "level_up", "privilege_unlocked", "badge_awarded", "bounty_offered", "bounty_awarded",
        "bounty_expired", "close_vote", "close", "reopen", "invite_sent", "invite_accepted",
        "serial_votes_reversed",
        # Moderation: members flagging posts for review.
        "flag",
        # Billing.
        "checkout_started", "checkout_completed", "purchase", "refund", "membership_ended",
        # Courses.
        "course_enrolled", "lesson_viewed", "course_reviewed",
        # Competitions.
        "challenge_solved", "hint_unlocked", "prediction_submitted", "entrant_disqualified",
        # Later issues fire these; the badge rules already listen for them.
        "membership_started", "course_completed", "lesson_completed", "competition_entered",
        "competition_placed",
        # Outreach: email preferences and what people do with the emails.
        "email_preferences", "email_unsubscribe", "email_click",
    }
)

Handler = Callable[[Event], None]
_handlers: dict[str, dict[str, Handler]] = {}


def subscribe(*types: str) -> Callable[[Handler], Handler]:
    """Register `handler(event)` to run inside `record()` for each of `types`.

    Handlers run in the recording transaction, in the order they were registered, so an
    action and everything it earns (points, badges, notifications) commit together or
    not at all. Registering the same function again is a no-op, so app factories may
    run more than once.
    """

    def register(handler: Handler) -> Handler:
        for type in types:
            if type not in EVENT_TYPES:
                raise ValueError(f"unknown event type {type!r}")
            key = f"{handler.__module__}.{handler.__qualname__}"
            _handlers.setdefault(type, {})[key] = handler
        return handler

    return register


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
    subject_type, subject_id = subject_ref(subject)
    event = Event(
        type=type,
        user_id=_user_id(user),
        subject_type=subject_type,
        subject_id=subject_id,
        data=data or {},
        created_at=at or utcnow(),
    )
    db.session.add(event)
    handlers = _handlers.get(type)
    if handlers:
        db.session.flush()  # handlers key their writes on the event's id
        for handler in list(handlers.values()):
            handler(event)
    return event


def record_history(rows: Iterable[dict]) -> int:
    """Append events that happened elsewhere (an imported site's history), in bulk.

    Each row holds Event's columns. Handlers do not run: what they would pay or notify
    arrives with the import itself (its points as summary rows), so replaying them would
    pay twice. Returns how many were written; the caller commits.
    """

    def checked(row: dict) -> dict:
        if row["type"] not in EVENT_TYPES:
            raise ValueError(f"unknown event type {row['type']!r}")
        return {"subject_type": None, "subject_id": None, "data": {}, **row}

    return insert_in_batches(Event, (checked(row) for row in rows))


def _user_id(user) -> int | None:
    if user is None or isinstance(user, int):
        return user
    return user.id if getattr(user, "is_authenticated", False) else None
