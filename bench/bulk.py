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
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), batch)
        return
    # COPY skips the models' Python-side defaults, so fill in the plain ones here; it
    # also skips the JSON type's serializer, so JSON values go as JSON text.
    defaults = {
        column.name: column.default.arg
        for column in table.columns
        if column.name not in batch[0] and column.default is not None and column.default.is_scalar
    }
    columns = [*batch[0], *defaults]
    as_json = [isinstance(table.c[name].type, JSON) for name in batch[0]]
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.connection.cursor() as cursor, cursor.copy(
        f'COPY "{table.name}" ({names}) FROM STDIN'
    ) as copy:
        for row in batch:
            values = [json.dumps(v) if j else v for v, j in zip(row.values(), as_json, strict=True)]
            copy.write_row(values + list(defaults.values()))
