"""Stored results of the recommendations job, and the interests people pick.

A run's rows are written first and the run is marked finished last, so readers, who only
read the latest finished run, never see half a run; a crash leaves the previous one.
"""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class RecommendationRun(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    users: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)


class Recommendation(db.Model):
    """One ranked item for one user; `user_id` NULL holds the popular list that people
    without results of their own (anonymous, opted out, new) are shown.

    `kind` is 'thread', 'course' or 'answerable' (an open question the user could answer).
    """

    __table_args__ = (
        Index("ix_recommendation_user_kind_run", "user_id", "kind", "run_id"),
        Index("ix_recommendation_run", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("recommendation_run.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    item_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(200), default="")


class RelatedThread(db.Model):
    """"Related" on a thread page: its nearest threads by content and co-engagement."""

    __table_args__ = (Index("ix_related_thread_thread_run", "thread_id", "run_id"),
                      Index("ix_related_thread_run", "run_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("recommendation_run.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(Integer)
    related_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)


class RelatedCourse(db.Model):
    """"Learners also took": co-enrolment first, content similarity to fill."""

    __table_args__ = (Index("ix_related_course_course_run", "course_id", "run_id"),
                      Index("ix_related_course_run", "run_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("recommendation_run.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(Integer)
    related_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)


class UserInterest(db.Model):
    """A tag someone picked as an interest (at sign-up or on the home page): cold start."""

    __table_args__ = (UniqueConstraint("user_id", "tag_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
