"""A SAVEPOINT that stays inside the current use case's transaction on every database."""

from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from app.extensions import db


@contextmanager
def savepoint():
    """`db.session.begin_nested()`, made safe on SQLite.

    The sqlite3 driver opens its transaction lazily, at the first INSERT or UPDATE. A
    SAVEPOINT sent before that becomes the outermost transaction, and releasing it
    commits on the spot, so a later failure could no longer roll the whole use case
    back. Opening the transaction first keeps the savepoint nested. PostgreSQL needs
    nothing: the session has already begun a transaction there.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver_connection = connection.connection.driver_connection
        if not driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested() as nested:
        yield nested


def insert_once(row) -> bool:
    """Insert `row` in a savepoint; False when a unique key says a concurrent twin already
    wrote it, and the rest of the use case's transaction stands either way."""
    try:
        with savepoint():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    return True
