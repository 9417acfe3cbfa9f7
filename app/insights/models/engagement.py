"""Stored results of the engagement job: a daily score history per user, one run record
per day with how churn risk was decided, and that day's personas."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class EngagementRun(db.Model):
    """One per day: re-running a day replaces it (and its scores and personas)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    users: Mapped[int] = mapped_column(Integer)
    churn_model: Mapped[str] = mapped_column(String(10))  # "logistic" or "rules"
    churn_training_size: Mapped[int] = mapped_column(Integer)
    churn_auc: Mapped[float | None] = mapped_column(Float)
    churn_note: Mapped[str] = mapped_column(Text, default="")
    persona_silhouette: Mapped[float | None] = mapped_column(Float)


class EngagementScore(db.Model):
    """A user's score, components, segment, churn risk and persona on one day.

    (user_id, day) is unique and indexed in that order, so "the latest score of a user" is
    one index seek; (day, segment) serves the segment sizes per day.
    """

    __table_args__ = (
        UniqueConstraint("user_id", "day", name="uq_engagement_score_user_day"),
        Index("ix_engagement_score_day_segment", "day", "segment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    recency: Mapped[float] = mapped_column(Float)
    frequency: Mapped[float] = mapped_column(Float)
    contribution: Mapped[float] = mapped_column(Float)
    reception: Mapped[float] = mapped_column(Float)
    learning: Mapped[float] = mapped_column(Float)
    competing: Mapped[float] = mapped_column(Float)
    segment: Mapped[str] = mapped_column(String(10))
    churn_risk: Mapped[float | None] = mapped_column(Float)
    persona: Mapped[str | None] = mapped_column(String(40))


class Persona(db.Model):
    """One cluster of a run: its readable name, size and centre (component -> value)."""

    __table_args__ = (UniqueConstraint("run_id", "cluster"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("engagement_run.id", ondelete="CASCADE"))
    cluster: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    centre: Mapped[dict] = mapped_column(JSON)
