"""The engagement job (registered by its module)."""

from app.insights.engagement_refresh import refresh_engagement
from jobs.context import JobContext
from jobs.registry import Schedule, job


@job("engagement", Schedule(hour=2),
     "Engagement scores, segments, churn risk and personas for every member, for the day")
def engagement(ctx: JobContext) -> dict[str, int]:
    return refresh_engagement(as_of=ctx.as_of, progress=ctx.progress)
