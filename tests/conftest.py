"""Test setup: one schema per run, emptied after every test.

Tests run on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The
schema comes from the models plus the search DDL; `tests/web/test_migrations.py`
proves the migrations build the same schema.
"""

import os

import pytest
from flask import g
from flask.testing import FlaskClient

from app import create_app
from app.accounts.models import Role
from app.extensions import db
from app.forum import search_index
from tests.fixtures.databases import empty_all_tables, throwaway_database
from tests.fixtures.users import make_user


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in a temp folder, or a PostgreSQL database of this run's own.

    Each run creates (and drops) its own database on the TEST_DATABASE_URL server, so
    two runs on one machine never see each other's rows.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    with throwaway_database(base, prefix=f"guildhall_test_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        with db.engine.begin() as conn:
            search_index.uninstall(conn)
        db.drop_all()
        db.create_all()
        with db.engine.begin() as conn:
            search_index.install(conn)
        db.engine.dispose()
    yield


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Settings for one test's app; override keys in a test module to change them."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "SERVER_NAME": "guildhall.test",
        "POPULAR_TAGS_SECONDS": 0,  # tests change tags between pages; one test keeps them
        "LIST_COUNT_SECONDS": 0,  # likewise list counts; tests/web/test_kept.py keeps them
        "VISITOR_PAGE_CACHE_SECONDS": 0,  # likewise pages; tests/web/test_visitor_cache.py keeps them
    }


@pytest.fixture
def app(_schema, app_config, database_url):
    app = create_app(app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    empty_all_tables(database_url)


class FreshUserClient(FlaskClient):
    """A test client whose every request loads the logged-in user afresh.

    Tests hold one app context for their whole run, so Flask-Login's user and the form
    token cached on `g` would otherwise leak from one request into the next, unlike in
    a real server.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def moderator(app):
    """A moderator, @mod: the staff member of the moderation and message tests."""
    return make_user(username="mod", role=Role.MODERATOR)
