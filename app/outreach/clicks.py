"""What following a link in an email and unsubscribing from one do. Commits."""

from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from app.insights.services import record
from app.outreach import preferences
from app.outreach.models import EmailMessage
from app.timeutil import utcnow


def follow(message_id: int, path: str) -> None:
    """Record the click as an event and on its message (the first click counts)."""
    message = db.session.get(EmailMessage, message_id)
    if message is not None:
        db.session.execute(update(EmailMessage).where(
            EmailMessage.id == message_id, EmailMessage.clicked_at.is_(None)
        ).values(clicked_at=utcnow()))
        record("email_click", user=db.session.get(User, message.user_id), subject=message,
               data={"campaign": message.campaign, "variant": message.variant, "path": path})
    db.session.commit()


def link_owner(user_id: int) -> User | None:
    """The person an unsubscribe link was made for; None if the account is gone."""
    user = db.session.get(User, user_id)
    return None if user is None or user.is_deleted else user


def unsubscribe(user_id: int, kind: str) -> User | None:
    """Turn off `kind` for the person (the link's owner); None if the account is gone."""
    user = link_owner(user_id)
    if user is None:
        return None
    if preferences.set_mode(user_id, kind, preferences.NEVER):
        record("email_unsubscribe", user=user, data={"kind": kind})
    db.session.commit()
    return user
