"""Links between threads ("Linked" on a thread page): imported from Stack Exchange's
related links, shown in both directions, like Stack Overflow's "Linked" list."""

from sqlalchemy import select, union

from app.extensions import db
from app.forum.listing import visible_to
from app.forum.models import Thread, ThreadLink


def linked_threads(viewer, thread_id: int, limit: int = 10) -> list[Thread]:
    """Threads this one links to or is linked from, that the viewer may open; the
    best-scored first. One query."""
    linked_ids = union(
        select(ThreadLink.related_id).where(ThreadLink.thread_id == thread_id),
        select(ThreadLink.thread_id).where(ThreadLink.related_id == thread_id),
    ).subquery()
    stmt = (select(Thread)
            .where(Thread.id.in_(select(linked_ids.c[0])), Thread.id != thread_id,
                   visible_to(viewer))
            .order_by(Thread.score.desc(), Thread.id)
            .limit(limit))
    return list(db.session.scalars(stmt))
