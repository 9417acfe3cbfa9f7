"""The recommendations job (registered by its module)."""

from app.insights.recommendations import refresh_recommendations
from app.outreach.audience import digest_readers
from jobs.context import JobContext
from jobs.registry import Schedule, job


@job("recommendations", Schedule(minutes=240),
     "For-you threads and courses, questions to answer, related threads and courses")
def recommendations(ctx: JobContext) -> dict[str, int]:
    return refresh_recommendations(ctx.as_of, progress=ctx.progress,
                                   also_for=digest_readers(ctx.as_of))
