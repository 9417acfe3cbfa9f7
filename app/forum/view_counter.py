"""Counting thread views: once per viewer per thread per hour."""

import hashlib

from sqlalchemy import update

from app.database import insert_skipping_conflicts
from app.extensions import db
from app.forum.models import Thread, ThreadView
from app.insights.services import record
from app.timeutil import utcnow


def viewer_key(user, remote_addr: str | None, user_agent: str | None) -> str:
    """'u<id>' for a signed-in viewer; for anyone else a hash of address and browser.

    The hash keeps no address in the database while still telling two anonymous readers
    apart; it fits the 64-character column exactly (hex SHA-256).
    """
    if user is not None and user.is_authenticated:
        return f"u{user.id}"
    raw = f"{remote_addr or ''}|{user_agent or ''}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def count_view(thread: Thread, key: str, *, user=None) -> bool:
    """Count a view unless this viewer was already counted on this thread this hour.

    The unique key (thread, viewer, hour) decides, so two tabs loading at once still
    count once: the loser's insert skips the conflict and nothing else changes. A repeat
    view costs that one statement, with no rollback to reload the page's rows after.
    The counter moves by an SQL expression, never by read-modify-write.
    """
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    if not insert_skipping_conflicts(
            ThreadView, [{"thread_id": thread.id, "viewer_key": key, "hour": hour}]):
        return False
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(view_count=Thread.view_count + 1)
        .execution_options(synchronize_session=False)
    )
    record("view", user=user, subject=thread)
    db.session.commit()
    return True
