"""The notification email jobs (registered by this module)."""

from app.outreach.notification_emails import send_daily_summaries, send_immediate_emails
from jobs.context import JobContext
from jobs.registry import Schedule, job


@job("notify-email", Schedule(minutes=5),
     "Email each person the new notifications they want right away, one email per person")
def notify_email(ctx: JobContext) -> dict[str, int]:
    return send_immediate_emails(now=ctx.as_of, track=ctx.progress.track)


@job("summary-email", Schedule(hour=7),
     "Email each person a summary of the last day's notifications they want daily")
def summary_email(ctx: JobContext) -> dict[str, int]:
    return send_daily_summaries(now=ctx.as_of, track=ctx.progress.track)
