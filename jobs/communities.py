"""The communities job (registered by its module)."""

from app.insights.communities import detect_and_store_communities
from jobs.context import JobContext
from jobs.registry import Schedule, job


@job("communities", Schedule(hour=3),
     "Finds communities in the last 180 days of answers, replies, votes and shared threads")
def communities(ctx: JobContext) -> dict[str, int]:
    return detect_and_store_communities(as_of=ctx.as_of, progress=ctx.progress)
