"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from app.forum.search_index import include_object
from tests.fixtures.databases import throwaway_database


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own: a fresh SQLite file, or a throwaway PostgreSQL database."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    with throwaway_database(base, prefix="guildhall_migrations") as url:
        yield url


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
