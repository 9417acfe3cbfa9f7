"""Engine-level settings that every connection needs."""

import sqlite3

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from app.extensions import db


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys on SQLite, and let readers and one writer work side by side."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def next_position(column) -> int:
    """The position after the last one in `column`: where a new row goes at the end of an
    ordered list (0 for the first)."""
    last = db.session.scalar(select(func.max(column)))
    return (last if last is not None else -1) + 1


def subject_ref(subject) -> tuple[str | None, int | None]:
    """(table name, id) of any model row, the polymorphic reference events, ledger rows,
    badges and notifications store; flushes first when the row has no id yet."""
    if subject is None:
        return None, None
    if subject.id is None:
        db.session.flush()
    return subject.__table__.name, subject.id
