"""Download my data: everything the site holds that a person created, as one JSON file."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post, Thread, Vote
from app.insights.models import Event
from app.insights.services import record
from app.outreach import preferences
from app.timeutil import utcnow

FORMAT_VERSION = 1


def export_user_data(user: User) -> dict:
    """Profile, threads, posts (with full bodies, deleted ones too: they are still
    theirs), votes and events, plus the `export` event itself so the file is complete."""
    record("export", user=user)
    threads = select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)
    threads = threads.options(selectinload(Thread.category), selectinload(Thread.tags))
    posts = select(Post).where(Post.author_id == user.id).order_by(Post.id)
    data = {
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(utcnow()),
        "profile": _profile(user),
        "threads": [_thread(thread) for thread in _all(threads)],
        "posts": [_post(post) for post in _all(posts)],
        "votes": [
            {"post_id": v.post_id, "value": v.value, "created_at": _iso(v.created_at)}
            for v in _all(select(Vote).where(Vote.user_id == user.id).order_by(Vote.id))
        ],
        "events": [
            {
                "type": e.type,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "data": e.data,
                "created_at": _iso(e.created_at),
            }
            for e in _all(select(Event).where(Event.user_id == user.id).order_by(Event.id))
        ],
    }
    db.session.commit()
    return data


def _profile(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "email_verified_at": _iso(user.email_verified_at),
        "display_name": user.display_name,
        "bio": user.bio,
        "role": str(user.role),
        "timezone": user.timezone,
        "email_preferences": preferences.modes_of(user.id),
        "personalise": user.personalise,
        "created_at": _iso(user.created_at),
        "last_seen_at": _iso(user.last_seen_at),
    }


def _thread(thread: Thread) -> dict:
    return {
        "id": thread.id,
        "kind": thread.kind,
        "title": thread.title,
        "category": thread.category.name,
        "tags": [tag.name for tag in thread.tags],
        "score": thread.score,
        "created_at": _iso(thread.created_at),
        "deleted_at": _iso(thread.deleted_at),
    }


def _post(post: Post) -> dict:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "is_first": post.is_first,
        "reply_to_id": post.reply_to_id,
        "body": post.body,
        "score": post.score,
        "created_at": _iso(post.created_at),
        "edited_at": _iso(post.edited_at),
        "deleted_at": _iso(post.deleted_at),
    }


def _all(stmt) -> list:
    return list(db.session.scalars(stmt))


def _iso(moment: datetime | None) -> str | None:
    return f"{moment.isoformat()}Z" if moment else None
