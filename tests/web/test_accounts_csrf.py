"""With CSRF on (as in production), account forms carry a token and posts without one fail."""

import re

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.fixtures.users import PASSWORD, make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_without_a_token_is_refused(client):
    make_user(username="ada")
    response = client.post("/login", data={"identifier": "ada", "password": PASSWORD})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_login_and_logout_with_the_forms_tokens(client):
    make_user(username="ada")
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"identifier": "ada", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302

    assert client.post("/logout").status_code == 400
    page = client.get("/settings").get_data(as_text=True)
    logout_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": logout_token}).status_code == 302
    assert client.get("/settings").status_code == 302


def test_deleting_an_account_without_a_token_changes_nothing(client):
    user = make_user(username="ada")
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"identifier": "ada", "password": PASSWORD, "csrf_token": token})
    assert client.post("/settings/delete", data={"password": PASSWORD}).status_code == 400
    assert not db.session.get(User, user.id).is_deleted
