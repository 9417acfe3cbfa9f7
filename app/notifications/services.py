"""In-app notifications: the only code that writes `Notification` rows.

`notify` runs inside the caller's transaction (the event handlers call it while the
answer, vote or badge that caused it is being written), so a notification commits
with its cause or not at all. Reading and marking read are use cases of their own and
commit.
"""

from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.database import subject_ref
from app.extensions import db
from app.forum import permissions
from app.forum.models import Thread
from app.notifications.models import Notification
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

KINDS = frozenset(
    {"answer", "reply", "accepted", "mention", "badge", "level_up", "privilege", "bounty",
     "membership", "payment_failed", "refund", "competition", "moderation",
     "message"}
)
PER_PAGE = 30


@dataclass(frozen=True)
class Line:
    """A notification with the thread it is about (None when it is about no thread, or
    about one the reader can no longer see)."""

    notification: Notification
    thread: Thread | None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def notify(
    user_id: int,
    kind: str,
    *,
    subject=None,
    actor_id: int | None = None,
    data: dict | None = None,
    at=None,
) -> Notification | None:
    """Tell `user_id` that something of `kind` happened; never commits.

    An unread line of the same kind about the same subject absorbs the news (count + 1,
    the latest actor and data, moved to the top), so five answers read as "5 new answers
    on ...". Without a subject nothing folds: each badge or level is news of its own.
    Returns None, writing nothing, when the actor is the user: nobody hears of their own
    action.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor_id is not None and actor_id == user_id:
        return None
    at = at or utcnow()
    subject_type, subject_id = subject_ref(subject)
    data = data or {}
    if subject_type is not None:
        unread = db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.kind == kind,
                Notification.subject_type == subject_type,
                Notification.subject_id == subject_id,
                Notification.read_at.is_(None),
            )
            .order_by(Notification.id.desc())
            .limit(1)
            .with_for_update()
        ).first()
        if unread is not None:
            unread.count += 1
            unread.actor_id = actor_id
            unread.data = {**unread.data, **data}
            unread.updated_at = at
            return unread
    notification = Notification(
        user_id=user_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        actor_id=actor_id,
        count=1,
        data=data,
        created_at=at,
        updated_at=at,
    )
    db.session.add(notification)
    return notification


def unread_count(user_id: int) -> int:
    """Unread lines (a folded line counts once), for the bell in the navigation bar."""
    return db.session.scalar(unread_count_query(user_id)) or 0


def unread_count_query(user_id: int):
    """The COUNT behind `unread_count`, for the header to fold into one query."""
    return select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))


def notifications_page(user, *, page: int) -> Page:
    """One page of `user`'s lines, latest news first, with their threads: three queries
    whatever the page holds (count, lines with actors, threads with categories)."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(joinedload(Notification.actor))
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
    )
    found = paginate(stmt, page=page, per_page=PER_PAGE)
    threads = _visible_threads(user, {thread_id_of(n) for n in found.items} - {None})
    lines = [Line(n, threads.get(thread_id_of(n))) for n in found.items]
    return replace(found, items=lines)


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications read; None when it is not theirs (or gone)."""
    notification = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    ).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; returns how many there were."""
    marked = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return marked or 0


def thread_id_of(notification: Notification) -> int | None:
    """The thread a notification is about: its subject, or the one named in its data."""
    if notification.subject_type == "thread":
        return notification.subject_id
    return (notification.data or {}).get("thread_id")


def _visible_threads(user, ids: set[int]) -> dict[int, Thread]:
    if not ids:
        return {}
    threads = db.session.scalars(
        select(Thread).where(Thread.id.in_(ids)).options(joinedload(Thread.category))
    )
    return {t.id: t for t in threads if permissions.can_view_thread(user, t)}
