"""QUERY_COUNT_HEADER: load tests read statements and server time per response."""

import pytest

from app import create_app
from app.extensions import db
from tests.fixtures.users import make_user


@pytest.fixture
def app_config(app_config):
    return app_config | {"QUERY_COUNT_HEADER": True}


def test_each_response_says_how_many_statements_it_ran(client):
    anonymous = client.get("/leaderboards")
    assert anonymous.status_code == 200
    assert int(anonymous.headers["X-Query-Count"]) >= 1
    assert anonymous.headers["Server-Timing"].startswith("app;dur=")

    make_user(username="ada")
    db.session.commit()
    again = client.get("/leaderboards")
    assert again.headers["X-Query-Count"] == anonymous.headers["X-Query-Count"]


def test_off_by_default(app_config):
    app = create_app(app_config | {"QUERY_COUNT_HEADER": False})
    response = app.test_client().get("/leaderboards")
    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers
    assert "Server-Timing" not in response.headers
