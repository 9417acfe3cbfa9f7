"""Return visits: whether a person came back after an email, or after its hold-out row.

Any logged-in request, or logging in, within seven days of a message counts as that
message's return, so the uplift report can compare people who got the email with those
held out. A request is noted at most once per five minutes per person (on
`last_seen_at`): a busy reader costs two UPDATEs every five minutes, not two per page.
"""

import logging
from datetime import datetime, timedelta

from flask import Flask, request
from flask_login import current_user
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.models import User
from app.accounts.services import mark_seen
from app.extensions import db
from app.insights.models import Event
from app.insights.services import subscribe
from app.outreach.models import EmailMessage, MessageStatus
from app.timeutil import utcnow

RETURN_WINDOW = timedelta(days=7)
SEEN_EVERY = timedelta(minutes=5)

log = logging.getLogger(__name__)


def mark_returns(user_id: int, now: datetime) -> int:
    """Mark the messages a visit by `user_id` at `now` is a return to, in one UPDATE: sent
    ones by when they were sent, held-out ones by when they were chosen, each within
    RETURN_WINDOW before `now`. Returns how many. Does not commit."""
    since = now - RETURN_WINDOW
    marked = db.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.user_id == user_id,
            EmailMessage.returned_at.is_(None),
            or_(
                and_(EmailMessage.status == MessageStatus.SENT,
                     EmailMessage.sent_at.between(since, now)),
                and_(EmailMessage.status == MessageStatus.HELD_OUT,
                     EmailMessage.created_at.between(since, now)),
            ),
        )
        .values(returned_at=now)
    )
    return marked.rowcount


def note_visit(user: User, now: datetime) -> int:
    """A logged-in request: note it on `last_seen_at` and mark its returns; returns how
    many. Commits; within SEEN_EVERY of the last noted visit it does nothing."""
    if not mark_seen(user, now, every=SEEN_EVERY):
        return 0
    marked = mark_returns(user.id, now)
    db.session.commit()
    return marked


@subscribe("login")
def on_login(event: Event) -> None:
    """Logging in is a return too. It moves last_seen_at, which throttles the request
    hook for the next minutes, so a visit that ends soon after would otherwise go
    unmarked."""
    mark_returns(event.user_id, event.created_at)


def _is_static(endpoint: str | None) -> bool:
    return endpoint is not None and endpoint.rpartition(".")[2] == "static"


def install_return_tracking(app: Flask) -> None:
    @app.before_request
    def _note_return() -> None:
        """Bookkeeping must never cost the page: a database error is logged and undone."""
        if _is_static(request.endpoint) or not current_user.is_authenticated:
            return
        user = current_user._get_current_object()
        if user.is_deleted:
            return
        user_id = user.id
        try:
            note_visit(user, utcnow())
        except SQLAlchemyError:
            log.exception("could not note a return visit by user %s", user_id)
            db.session.rollback()
