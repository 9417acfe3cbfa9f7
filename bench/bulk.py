"""Bulk writes for benchmark data: batched inserts, COPY on PostgreSQL, then ANALYZE.

Benchmark generators write straight into the tables, not through the services: millions
of rows through the services would take hours and measure the wrong thing.
"""

import json
from collections.abc import Iterable

from sqlalchemy import JSON, Connection, Table, text

BATCH = 20_000


def insert_rows(connection: Connection, table: Table, rows: Iterable[dict]) -> None:
    """Write `rows` (all with the same keys) in batches, so a generator stays streaming."""
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            _write(connection, table, batch)
            batch = []
    if batch:
        _write(connection, table, batch)


def analyze(connection: Connection) -> None:
    """Planner statistics, as a live database has them."""
    connection.execute(text("ANALYZE"))


def _write(connection: Connection, table: Table, batch: list[dict]) -> None:
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        connection.execute(table.insert(), batch)
        return
    # Both fast paths skip SQLAlchemy's per-row work: the models' Python-side defaults
    # (the plain ones are filled in here) and the types' conversions (done here, once
    # looked up: JSON becomes JSON text, SQLite gets its datetime strings).
    defaults = {
        column.name: column.default.arg
        for column in table.columns
        if column.name not in batch[0] and column.default is not None and column.default.is_scalar
    }
    extra = list(defaults.values())
    convert = [_converter(dialect, table.c[name].type) for name in batch[0]]
    rows = (
        [f(v) if f is not None and v is not None else v
         for f, v in zip(convert, row.values(), strict=True)] + extra
        for row in batch
    )
    names = ", ".join(f'"{c}"' for c in [*batch[0], *defaults])
    if dialect.name == "sqlite":
        marks = ", ".join("?" * (len(batch[0]) + len(defaults)))
        connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                                   [tuple(row) for row in rows])
        return
    with connection.connection.cursor() as cursor, cursor.copy(
        f'COPY "{table.name}" ({names}) FROM STDIN'
    ) as copy:
        for row in rows:
            copy.write_row(row)


def _converter(dialect, type_):
    if dialect.name == "postgresql":
        return json.dumps if isinstance(type_, JSON) else None
    return type_.bind_processor(dialect)


def reset_sequences(connection: Connection) -> None:
    """Move every id sequence past the highest id written: COPY with explicit ids leaves
    PostgreSQL's sequences at 1, and the app's own inserts would then collide."""
    if connection.dialect.name != "postgresql":
        return
    serials = connection.execute(text(
        "SELECT table_name, column_name, "
        "pg_get_serial_sequence(quote_ident(table_name), column_name) FROM information_schema.columns "
        "WHERE table_schema = current_schema() "
        "AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL"
    )).all()
    for table, column, sequence in serials:
        connection.execute(
            text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'),
            {"sequence": sequence},
        )
