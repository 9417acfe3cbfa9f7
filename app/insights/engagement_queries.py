"""What other code reads of the engagement job's results: a user's latest score, segment
sizes over time, the users of some segments, and a run's personas."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.insights.models.engagement import EngagementRun, EngagementScore, Persona


def latest_engagement(user_id: int) -> EngagementScore | None:
    """The user's most recent daily row (None before their first scored day)."""
    return db.session.scalar(
        select(EngagementScore).where(EngagementScore.user_id == user_id)
        .order_by(EngagementScore.day.desc()).limit(1)
    )


def latest_run(as_of: datetime | None = None) -> EngagementRun | None:
    """The newest run, or the newest on or before `as_of`'s day."""
    stmt = select(EngagementRun).order_by(EngagementRun.day.desc()).limit(1)
    if as_of is not None:
        stmt = stmt.where(EngagementRun.day <= as_of.date())
    return db.session.scalar(stmt)


def segment_sizes(days: int = 30, as_of: datetime | None = None) -> dict[date, dict[str, int]]:
    """Users per segment for each scored day of the `days` up to the latest run (or `as_of`)."""
    run = latest_run(as_of)
    if run is None:
        return {}
    stmt = (
        select(EngagementScore.day, EngagementScore.segment, func.count())
        .where(EngagementScore.day > run.day - timedelta(days=days), EngagementScore.day <= run.day)
        .group_by(EngagementScore.day, EngagementScore.segment)
        .order_by(EngagementScore.day)
    )
    sizes: dict[date, dict[str, int]] = defaultdict(dict)
    for day, segment, count in db.session.execute(stmt):
        sizes[day][segment] = count
    return dict(sizes)


def users_in_segments(segments: Iterable[str], as_of: datetime | None = None) -> list[int]:
    """Ids of the users in `segments` on the latest scored day (on or before `as_of`),
    highest churn risk first; ties by id, so batches of outreach are stable."""
    run = latest_run(as_of)
    if run is None:
        return []
    return list(db.session.scalars(
        select(EngagementScore.user_id)
        .where(EngagementScore.day == run.day, EngagementScore.segment.in_(list(segments)))
        .order_by(EngagementScore.churn_risk.desc().nulls_last(), EngagementScore.user_id)
    ))


def run_personas(run: EngagementRun) -> list[Persona]:
    """The run's personas, largest first, for the moderators' console."""
    return list(db.session.scalars(
        select(Persona).where(Persona.run_id == run.id)
        .order_by(Persona.size.desc(), Persona.cluster)
    ))
