"""The outreach jobs (registered by their module)."""

from app.outreach.campaign import run_campaign
from jobs.context import JobContext
from jobs.registry import Schedule, job


@job("reengagement", Schedule(hour=10),
     "Re-engagement digests for at-risk and dormant members who asked for them, "
     "with a hold-out group and frequency caps")
def reengagement(ctx: JobContext) -> dict[str, int]:
    return run_campaign(ctx.as_of, track=lambda ids: ctx.progress.track(
        ids, total=len(ids), label="emails"))
