"""Delete my account: a soft delete that anonymises the person and keeps the threads
other people's answers hang on, unless they ask for their posts to go too."""

import secrets

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.accounts.errors import ValidationError
from app.accounts.models import Role, User
from app.extensions import db
from app.forum.models import Post, SearchDocument, Thread
from app.forum.search_index import index_post
from app.insights.services import record
from app.outreach import preferences
from app.timeutil import utcnow

DELETED_NAME = "Deleted user"


def delete_account(user: User, *, password: str, remove_posts: bool) -> None:
    """Check the password, then anonymise in one transaction.

    The row stays (posts, votes and events keep their author id), but nothing left on it
    identifies the person or lets anyone log in: a random unusable hash, an `.invalid`
    address that no mail can reach, and every email preference off.
    """
    if not user.check_password(password):
        raise ValidationError("password", "That password is not correct.")
    now = utcnow()
    record("account_delete", user=user, data={"removed_posts": remove_posts}, at=now)
    if remove_posts:
        remove_content(user, now, deleted_by=user)
    anonymise(user, now)
    db.session.commit()


def anonymise(user: User, now) -> None:
    """Strip the identity from the row and close it; never commits (moderators use it too)."""
    user.username = user.username_key = f"deleted-{user.id}"
    user.email = f"deleted-{user.id}@invalid"
    user.email_verified_at = None
    user.display_name = DELETED_NAME
    user.bio = user.bio_html = ""
    user.password_hash = "!" + secrets.token_hex(16)  # no `$`: matches no hash format
    user.role = Role.MEMBER
    preferences.forget(user.id)
    user.deleted_at = now


def remove_content(user: User, now, *, deleted_by: User) -> int:
    """Soft-delete their posts and threads and take them out of search.

    Like deleting one post in the forum: an answer leaves its thread's reply count and
    stops being the accepted one. Other people's answers in their deleted threads leave
    search with the thread. Bodies stay in the rows. Never commits; returns how many of
    their posts it deleted.
    """
    threads = list(
        db.session.scalars(select(Thread).where(Thread.author_id == user.id, Thread.deleted_at.is_(None)))
    )
    for thread in threads:
        thread.deleted_at = now
    thread_ids = [t.id for t in threads]
    posts = list(
        db.session.scalars(
            select(Post)
            .where(or_(Post.author_id == user.id, Post.thread_id.in_(thread_ids)))
            .options(selectinload(Post.thread))
        )
    )
    # Loaded once here so index_post finds each document in the identity map.
    list(db.session.scalars(select(SearchDocument).where(SearchDocument.post_id.in_([p.id for p in posts]))))
    removed = 0
    for post in posts:
        if post.author_id == user.id and post.deleted_at is None:
            post.deleted_at = now
            post.deleted_by_id = deleted_by.id
            _leave_thread(post)
            removed += 1
        index_post(post)
    return removed


def _leave_thread(post: Post) -> None:
    thread = post.thread
    if post.is_first or thread.is_deleted:
        return
    thread.reply_count = max(0, thread.reply_count - 1)
    if thread.accepted_post_id == post.id:
        thread.accepted_post_id = None
