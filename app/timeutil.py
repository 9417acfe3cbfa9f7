"""Time is stored as naive UTC in the database, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
