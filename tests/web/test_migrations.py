"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

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


# SQLite cannot reflect expression indexes, so the comparison skips them there (with a
# warning each); PostgreSQL compares them.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning",
                            "ignore:.*expression-based index")
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


def test_the_email_flags_become_preferences_and_come_back(empty_database_url):
    """0009 moves `user.email_digest` and `user.email_on_reply` into preference rows."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0008_insights")
        with db.engine.begin() as conn:
            for n, (digest, on_reply) in enumerate([(True, True), (False, False)]):
                conn.execute(text(
                    'INSERT INTO "user" (username, username_key, email, password_hash, '
                    "display_name, bio, bio_html, role, timezone, email_on_reply, email_digest, "
                    "points, hide_from_leaderboards, personalise, created_at) VALUES "
                    f"('u{n}', 'u{n}', 'u{n}@example.com', 'x', '', '', '', 'member', 'UTC', "
                    ":on_reply, :digest, 1, FALSE, TRUE, CURRENT_TIMESTAMP)"),
                    {"on_reply": on_reply, "digest": digest})
        upgrade(revision="0009_outreach")
        with db.engine.connect() as conn:
            rows = set(conn.execute(text(
                'SELECT u.username, p.kind, p.mode FROM email_preference p '
                'JOIN "user" u ON u.id = p.user_id')).all())
        assert rows == {("u0", "reengagement", "subscribed"), ("u1", "answer", "never"),
                        ("u1", "reply", "never")}
        downgrade(revision="0008_insights")
        with db.engine.connect() as conn:
            flags = conn.execute(text(
                'SELECT username, email_digest, email_on_reply FROM "user" ORDER BY username'
            )).all()
        assert [(name, bool(digest), bool(on_reply)) for name, digest, on_reply in flags] == [
            ("u0", True, True), ("u1", False, False)]
        downgrade(revision="base")
        db.engine.dispose()
