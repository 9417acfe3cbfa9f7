"""Turn recorded events into in-app notifications.

Each handler runs inside the transaction that recorded the event (see
`app.insights.services.subscribe`), so an answer and the notification about it commit
together. Forum notifications go only to people who can still see the thread, and one
post pings a person once: someone who hears of an answer to their question is not told
again that the same answer mentions them.
"""

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.forum import permissions
from app.forum.models import Post, PostRevision, Thread
from app.insights.models import Event
from app.insights.services import subscribe
from app.notifications.mentions import mentioned_keys, new_mentions
from app.notifications.services import notify


@subscribe("ask", "answer", "reply")
def on_post(event: Event) -> None:
    """A new question, answer or reply: tell the person it answers, then the people it
    mentions."""
    post = _posted(event)
    if post is None:
        return
    thread = post.thread
    told = {post.author_id}
    data = {"thread_id": thread.id, "post_id": post.id}
    if event.type == "answer":
        told |= _tell(thread.author_id, "answer", thread, event, data)
    elif event.type == "reply":
        target = post.reply_to or _opening_post(thread)
        if target is not None:
            told |= _tell(target.author_id, "reply", thread, event, data)
    _tell_mentioned(mentioned_keys(post.body), post, event, skip=told)


@subscribe("edit")
def on_edit(event: Event) -> None:
    """An edit pings only the people it newly mentions."""
    post = db.session.get(Post, event.subject_id)
    if post is None or post.is_deleted:
        return
    earlier = list(
        db.session.scalars(
            select(PostRevision.body).where(
                PostRevision.post_id == post.id, PostRevision.number < post.revision_count
            )
        )
    )
    _tell_mentioned(new_mentions(post.body, earlier), post, event, skip={post.author_id})


@subscribe("accept")
def on_accept(event: Event) -> None:
    post = db.session.get(Post, event.subject_id)
    if post is None:
        return
    notify(post.author_id, "accepted", subject=post, actor_id=event.user_id,
           data={"thread_id": post.thread_id, "post_id": post.id}, at=event.created_at)


@subscribe("badge_awarded")
def on_badge(event: Event) -> None:
    data = event.data or {}
    notify(event.user_id, "badge", at=event.created_at,
           data={"badge": data.get("badge"), "name": data.get("name"), "tier": data.get("tier")})


@subscribe("level_up")
def on_level_up(event: Event) -> None:
    data = event.data or {}
    notify(event.user_id, "level_up", at=event.created_at,
           data={"level": data.get("level"), "name": data.get("name")})


@subscribe("privilege_unlocked")
def on_privilege(event: Event) -> None:
    data = event.data or {}
    notify(event.user_id, "privilege", at=event.created_at,
           data={"privilege": data.get("privilege"), "name": data.get("name")})


@subscribe("bounty_awarded")
def on_bounty(event: Event) -> None:
    """The bounty's points went to an answer: tell its author (the event's user offered it)."""
    data = event.data or {}
    post = db.session.get(Post, data.get("post_id") or 0)
    if post is None:
        return
    notify(post.author_id, "bounty", subject=post, actor_id=event.user_id, at=event.created_at,
           data={"thread_id": post.thread_id, "post_id": post.id, "amount": data.get("amount"),
                 "automatic": bool(data.get("automatic"))})


def _posted(event: Event) -> Post | None:
    """The post an ask/answer/reply event is about (a question's is its opening post)."""
    if event.type != "ask":
        return db.session.get(Post, event.subject_id)
    thread = db.session.get(Thread, event.subject_id)
    return _opening_post(thread) if thread is not None else None


def _opening_post(thread: Thread) -> Post | None:
    return db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.is_first)
    ).first()


def _tell(user_id: int, kind: str, thread: Thread, event: Event, data: dict) -> set[int]:
    """Notify `user_id` about `thread` if they may read it; the ids told, for de-duplication."""
    reader = db.session.get(User, user_id)
    if not _may_read(reader, thread) or user_id == event.user_id:
        return set()
    notify(user_id, kind, subject=thread, actor_id=event.user_id, data=data, at=event.created_at)
    return {user_id}


def _tell_mentioned(keys: list[str], post: Post, event: Event, *, skip: set[int]) -> None:
    """Notify the existing, active users named in `keys` who can see the post's thread."""
    if not keys:
        return
    thread = post.thread
    readers = db.session.scalars(
        select(User).where(User.username_key.in_(keys), User.deleted_at.is_(None))
    )
    data = {"thread_id": thread.id, "post_id": post.id}
    for reader in readers:
        if reader.id in skip or reader.id == event.user_id or not _may_read(reader, thread):
            continue
        notify(reader.id, "mention", subject=thread, actor_id=event.user_id, data=data,
               at=event.created_at)


def _may_read(user: User | None, thread: Thread) -> bool:
    return user is not None and not user.is_deleted and permissions.can_view_thread(user, thread)
