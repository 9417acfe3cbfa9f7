"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from app.forum.search_index import include_object


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own: a fresh SQLite file, or a throwaway PostgreSQL database."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    name = f"guildhall_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, db.metadata) == []
            tables = set(inspect(conn).get_table_names())
            if conn.dialect.name == "sqlite":
                assert "search_fts" in tables
            else:
                columns = {c["name"] for c in inspect(conn).get_columns("search_document")}
                assert "search_vector" in columns
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
