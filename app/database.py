"""Engine-level settings that every connection needs, and small helpers the data layer
shares."""

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice

from sqlalchemy import Date, DateTime, Float, cast, event, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

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


INSERT_BATCH = 10_000


def insert_in_batches(model, rows: Iterable[dict], *, batch: int = INSERT_BATCH,
                      track: Callable[[Iterable], Iterable] = iter) -> int:
    """Insert plain dicts into `model`'s table (a model or a Table), `batch` rows per
    executemany, and return how many. Core, not the ORM: the jobs write millions of rows
    and need no objects back. `track` wraps the stream of batches (for a progress bar);
    the caller commits."""
    table = getattr(model, "__table__", model)
    rows = iter(rows)
    written = 0
    for chunk in track(iter(lambda: list(islice(rows, batch)), [])):
        db.session.execute(insert(table), chunk)
        written += len(chunk)
    return written


def insert_skipping_conflicts(model, rows: list[dict]) -> list[int]:
    """Insert `rows` into `model`'s table, skipping any that would break a unique key
    (`ON CONFLICT DO NOTHING`), and return the ids of the rows inserted. A re-run, or a
    second runner at the same moment, finds its rows already there and adds nothing; the
    caller commits."""
    if not rows:
        return []
    table = getattr(model, "__table__", model)
    dialect = db.session.get_bind().dialect.name
    dialects = {"postgresql": postgresql, "sqlite": sqlite}
    if dialect not in dialects:
        raise NotImplementedError(f"no insert that skips conflicts for {dialect}")
    stmt = dialects[dialect].insert(table).on_conflict_do_nothing().returning(table.c.id)
    return list(db.session.scalars(stmt, rows))


class days_before(FunctionElement):  # noqa: N801 - used like a SQL function
    """`days_before(moment, column)`: how many days `column` lies before `moment`, as a
    float computed by the database, so a job reading millions of timestamps gets numbers
    instead of building a datetime per row."""

    type = Float()
    name = "days_before"
    inherit_cache = True

    def __init__(self, moment, column):
        super().__init__(literal(moment, DateTime()), column)


@compiles(days_before)
def _days_before_postgresql(element, compiler, **kw) -> str:
    moment, column = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({moment} - {column})) / 86400.0)"


@compiles(days_before, "sqlite")
def _days_before_sqlite(element, compiler, **kw) -> str:
    moment, column = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({moment}) - julianday({column}))"


def day_of(column):
    """The calendar day of a timestamp, for grouping by day: a date on PostgreSQL,
    'YYYY-MM-DD' on SQLite (read it back with `as_date`)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, Date)
    return func.date(column)


def as_date(value: date | str) -> date:
    """A `day_of` value as a date, on either database."""
    return date.fromisoformat(value) if isinstance(value, str) else value
