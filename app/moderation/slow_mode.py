"""Slow mode as the posting services meet it: may this person post here now?

Deleted posts count too, so deleting a post and writing it again does not skip the
wait. Staff are exempt; editing is never slowed (only the posting services call this).
"""

from datetime import datetime

from sqlalchemy import func, select

from app.competitions.lifecycle import when
from app.extensions import db
from app.forum.errors import ValidationError
from app.forum.models import Category, Post, Thread
from app.moderation.slow_mode_rules import next_post_at
from app.timeutil import utcnow


def require_slow_mode_allows(author, category: Category, thread: Thread | None = None, *,
                             now: datetime | None = None) -> None:
    """Raise a body error saying when `author` may post again; call it with the author's
    row locked, so two quick requests cannot both pass. Rolls back before raising."""
    if author.is_staff:
        return
    scopes = [(_last_post(author, Thread.category_id == category.id),
               category.slow_mode_minutes)] if category.slow_mode_minutes else []
    if thread is not None and thread.slow_mode_minutes:
        scopes.append((_last_post(author, Post.thread_id == thread.id), thread.slow_mode_minutes))
    allowed = next_post_at(scopes, now or utcnow())
    if allowed is not None:
        db.session.rollback()
        raise ValidationError(
            "body", f"Slow mode is on here: you can post again at {when(allowed)}. "
                    "What you wrote is still below.")


def _last_post(author, where) -> datetime | None:
    return db.session.scalar(select(func.max(Post.created_at)).join(Post.thread)
                             .where(Post.author_id == author.id, where))
