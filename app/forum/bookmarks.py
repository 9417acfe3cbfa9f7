"""Bookmarks: threads a person saved to read again, and their list.

Saving says which state is wanted (`saved=True` or False) rather than toggling, so a
double-clicked button or a resent form lands where the person meant, once.
"""

from dataclasses import replace

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.forum import permissions
from app.forum.models import Bookmark, Thread
from app.forum.thread_page import get_visible_thread
from app.web.pagination import Page, paginate

PER_PAGE = 30


def set_bookmark(user, thread_id: int, *, saved: bool) -> Thread:
    """Save or unsave a thread the person can see; doing it twice changes nothing."""
    thread = get_visible_thread(user, thread_id)
    held = is_bookmarked(user, thread.id)
    if saved and not held:
        db.session.add(Bookmark(user_id=user.id, thread_id=thread.id))
    elif held and not saved:
        db.session.execute(
            delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.thread_id == thread.id)
        )
    db.session.commit()
    return thread


def move_bookmarks(from_thread_id: int, to_thread_id: int) -> None:
    """A merged thread's bookmarks point at the thread it went into; someone who saved
    both keeps the one they already had there. Joins the caller's transaction."""
    already = select(Bookmark.user_id).where(Bookmark.thread_id == to_thread_id)
    db.session.execute(
        update(Bookmark)
        .where(Bookmark.thread_id == from_thread_id, Bookmark.user_id.not_in(already))
        .values(thread_id=to_thread_id)
        .execution_options(synchronize_session=False))
    db.session.execute(delete(Bookmark).where(Bookmark.thread_id == from_thread_id))


def is_bookmarked(user, thread_id: int) -> bool:
    if not (user is not None and user.is_authenticated):
        return False
    return db.session.scalar(
        select(Bookmark.thread_id).where(Bookmark.user_id == user.id, Bookmark.thread_id == thread_id)
    ) is not None


def bookmarked_threads(user, page: int) -> Page:
    """The person's live bookmarked threads, the latest saved first, with what a thread
    row shows loaded; threads in categories they can no longer read are left out."""
    result = paginate(
        select(Thread)
        .join(Bookmark, Bookmark.thread_id == Thread.id)
        .where(Bookmark.user_id == user.id, Thread.deleted_at.is_(None))
        .options(joinedload(Thread.category), joinedload(Thread.author),
                 selectinload(Thread.tags))
        .order_by(Bookmark.created_at.desc(), Thread.id.desc()),
        page=page, per_page=PER_PAGE,
    )
    return replace(result, items=[t for t in result.items if permissions.can_view(user, t.category)])
