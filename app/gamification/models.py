"""Gamification tables. Only the gamification services write them."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow


class PointTransaction(db.Model):
    """One immutable change to a user's points; `User.points` caches 1 + their sum.

    `key` makes each award idempotent (derived from the event or object that caused it);
    an undo is a new row whose `reverses_id` names the row it cancels, and that column is
    unique, so nothing is ever reversed twice.
    """

    # `delta` closes both time indexes so the leaderboards' sums are index-only scans
    # (app.gamification.leaderboards); the prefixes serve the per-user and per-day lookups.
    __table_args__ = (
        Index("ix_point_transaction_user_created", "user_id", "created_at", "delta"),
        Index("ix_point_transaction_created_user", "created_at", "user_id", "delta"),
        Index("ix_point_transaction_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    key: Mapped[str] = mapped_column(String(120), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("point_transaction.id"), unique=True
    )
    # What the rule asked for before the daily cap or the floor trimmed it.
    requested: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class ActivityDay(db.Model):
    """A day (in the user's own time zone) on which they posted, answered, replied or voted."""

    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    actions: Mapped[int] = mapped_column(Integer, default=1)


class BadgeAward(db.Model):
    """A badge held by a user. `key` is unique: the badge slug and user for a badge earned
    once, plus the subject for repeatable ones, so no sweep or race awards it twice."""

    __table_args__ = (
        Index("ix_badge_award_badge_awarded", "badge", "awarded_at"),
        Index("ix_badge_award_user", "user_id", "awarded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    badge: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    awarded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Bounty(db.Model):
    """Points offered on a question for a better answer; the points left the offerer at once."""

    __table_args__ = (Index("ix_bounty_status_ends", "status", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="active")  # active|awarded|expired
    # Only one active bounty per question: the thread id while active, NULL once settled.
    active_thread_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    awarded_post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    awarded_amount: Mapped[int | None] = mapped_column(Integer)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime)

    thread = relationship("Thread")
    offered_by: Mapped[User] = relationship()
    awarded_post = relationship("Post")


class CloseVote(db.Model):
    """A vote to close (or reopen) a question; votes older than 14 days no longer count."""

    __table_args__ = (Index("ix_close_vote_thread", "thread_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(8))  # close | reopen
    reason: Mapped[str | None] = mapped_column(String(20))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id"))
    # Set when the vote took effect (closed/reopened) or expired; spent votes never count again.
    spent_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class SerialVoteFinding(db.Model):
    """A voter/author pair the fair-play sweep caught, with the votes whose points it reversed."""

    __table_args__ = (UniqueConstraint("voter_id", "author_id", "window_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(20))  # burst | concentrated
    votes: Mapped[int] = mapped_column(Integer)
    points_reversed: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    window_end: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    voter: Mapped[User] = relationship(foreign_keys=[voter_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])


class Invitation(db.Model):
    """A member's personal invite link; `invitee` is set when someone signs up through it."""

    __table_args__ = (Index("ix_invitation_inviter_created", "inviter_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    invitee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    rewarded_at: Mapped[datetime | None] = mapped_column(DateTime)

    inviter: Mapped[User] = relationship(foreign_keys=[inviter_id])
    invitee: Mapped[User | None] = relationship(foreign_keys=[invitee_id])
