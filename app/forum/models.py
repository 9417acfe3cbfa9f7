from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow


class ThreadKind(StrEnum):
    QUESTION = "question"
    DISCUSSION = "discussion"


class Category(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7), default="#3b82f6")
    position: Mapped[int] = mapped_column(Integer, default=0)
    member_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Slow mode (a moderator, with a reason): one post per person per N minutes.
    slow_mode_minutes: Mapped[int | None] = mapped_column(Integer)
    slow_mode_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    slow_mode_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


thread_tags = Table(
    "thread_tag",
    db.metadata,
    Column("thread_id", ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(35), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class Thread(db.Model):
    """A question or a discussion. Its opening text is its first `Post`.

    Score, answer count and last activity are denormalised here so lists sort and page
    without touching posts; the services that change posts and votes keep them in step.
    """

    __table_args__ = (
        Index("ix_thread_category_activity", "category_id", "last_activity_at"),
        Index("ix_thread_activity", "last_activity_at"),
        Index("ix_thread_created", "created_at"),
        UniqueConstraint("source", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default=ThreadKind.QUESTION)
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    score: Mapped[int] = mapped_column(Integer, default=0)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Closing (community close votes or a moderator): a closed question takes no answers.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id"))
    # Locking (a moderator, with a reason): reading stays, answers, replies and votes stop.
    locked_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lock_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Merged into another thread by a moderator: a deleted stub whose page redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id"))
    # Pinned threads come first in their category's list.
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Slow mode (a moderator, with a reason): one post per person per N minutes.
    slow_mode_minutes: Mapped[int | None] = mapped_column(Integer)
    slow_mode_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    slow_mode_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A question about a course (courses list them); the course may be deleted later.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("course.id", ondelete="SET NULL"), index=True
    )
    # Imported from another site (app.importers): where from, and its id there.
    source: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(Integer)

    category: Mapped[Category] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_activity_by: Mapped[User | None] = relationship(foreign_keys=[last_activity_by_id])
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by="Tag.name")
    duplicate_of: Mapped["Thread | None"] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id]
    )
    course: Mapped["Course | None"] = relationship("Course")  # noqa: F821 (app.courses.models)
    posts: Mapped[list["Post"]] = relationship(
        back_populates="thread", foreign_keys="Post.thread_id", order_by="Post.id"
    )

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None or self.reply_count > 0

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title[:30]!r}>"


# A category's list in its default order (pinned first, then latest activity) reads the
# first page straight off this index instead of sorting the whole category: 48 ms -> 0.1 ms
# at 60,000 threads in a category (PostgreSQL).
Index("ix_thread_category_pinned_activity", Thread.category_id, Thread.pinned_at.is_(None),
      Thread.last_activity_at.desc(), Thread.id.desc())


# The start of the hidden reason of a post the spam check held (app.moderation.spam_check).
HELD_FOR_REVIEW = "Held for review"


class Post(db.Model):
    """The opening post of a thread (`is_first`), an answer, or a reply."""

    __table_args__ = (
        Index("ix_post_thread_created", "thread_id", "created_at"),
        UniqueConstraint("source", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revision_count: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Hidden while moderators review it (by one, or by the community's flags: no one).
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Imported from another site (app.importers): where from, and its id there.
    source: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(Integer)

    thread: Mapped[Thread] = relationship(back_populates="posts", foreign_keys=[thread_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    reply_to: Mapped["Post | None"] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_comment(self) -> bool:
        """A remark on a question or an answer (comments imported from Q&A sites): it
        replies to that post, and is neither an answer nor counted as one."""
        return self.reply_to_id is not None and self.thread.is_question

    @property
    def hidden_notice(self) -> str:
        """What people other than its author and staff read in place of a hidden post."""
        if (self.hidden_reason or "").startswith(HELD_FOR_REVIEW):
            return "This post is held for a moderator's review."
        if self.hidden_by_id is None:
            return "This post is hidden while moderators review it."
        return "This post was hidden by a moderator."

    def __repr__(self) -> str:
        return f"<Post {self.id} in {self.thread_id}>"


class PostRevision(db.Model):
    """One row per saved version of a post; revision 1 is the original text."""

    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str | None] = mapped_column(String(150))
    tags: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    editor: Mapped[User] = relationship()


class Vote(db.Model):
    """One vote per person per post; `value` is +1 or -1. Undo deletes the row."""

    __table_args__ = (UniqueConstraint("user_id", "post_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ThreadView(db.Model):
    """A view counts once per viewer per thread per hour; the unique key enforces it."""

    __table_args__ = (UniqueConstraint("thread_id", "viewer_key", "hour"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    viewer_key: Mapped[str] = mapped_column(String(64))
    hour: Mapped[datetime] = mapped_column(DateTime)


class SearchDocument(db.Model):
    """The searchable text of one post (the opening post carries the thread title).

    SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a
    generated tsvector column and a GIN index. Both are created by `search_index.install`.
    """

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(150), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")


class Bookmark(db.Model):
    """A thread someone saved to read again; one per person and thread."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    thread: Mapped[Thread] = relationship()


class ThreadLink(db.Model):
    """A thread that points readers to another one as related (imported 'linked' posts)."""

    __table_args__ = (UniqueConstraint("thread_id", "related_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    related_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
