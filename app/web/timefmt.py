"""Times are UTC in the database; pages show them in the viewer's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.timeutil import utcnow


def valid_timezone(name: str) -> bool:
    return name in available_timezones()


def to_local(moment: datetime, tz_name: str) -> datetime:
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.replace(tzinfo=UTC).astimezone(zone)


def humanize_delta(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 hours ago', 'yesterday', '4 days ago', or a date."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = seconds // 86400
    if days == 1:
        return "yesterday"
    if days < 30:
        return f"{days} days ago"
    return moment.strftime("%b %-d, %Y")
