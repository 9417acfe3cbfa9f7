"""Stored results of the communities job.

A run's rows are written with its `finished_at` in one transaction, and readers only
read finished runs, so a run that fails halfway leaves the previous one in place.
`community_key` stays the same from run to run for the same group of people (matched by
members), so a community's history is the rows that share its key.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class CommunityRun(db.Model):
    __table_args__ = (Index("ix_community_run_as_of", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    modularity: Mapped[float] = mapped_column(Float, default=0.0)
    users: Mapped[int] = mapped_column(Integer, default=0)
    edges: Mapped[int] = mapped_column(Integer, default=0)
    communities: Mapped[int] = mapped_column(Integer, default=0)
    # Sizes of the stored communities, largest first.
    sizes: Mapped[list] = mapped_column(JSON, default=list)


class Community(db.Model):
    __table_args__ = (UniqueConstraint("run_id", "community_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("community_run.id", ondelete="CASCADE"))
    community_key: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer)
    # User ids, most central first; bridges are members whose ties spread furthest.
    central: Mapped[list] = mapped_column(JSON, default=list)
    bridges: Mapped[list] = mapped_column(JSON, default=list)


class CommunityMember(db.Model):
    __table_args__ = (Index("ix_community_member_user_run", "user_id", "run_id"),)

    run_id: Mapped[int] = mapped_column(
        ForeignKey("community_run.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    community_key: Mapped[int] = mapped_column(Integer)
    # Summed weight of the member's ties inside the community.
    centrality: Mapped[float] = mapped_column(Float)
    # 0 when every tie stays inside the community, towards 1 as ties spread over many.
    participation: Mapped[float] = mapped_column(Float)
    is_bridge: Mapped[bool] = mapped_column(Boolean, default=False)
