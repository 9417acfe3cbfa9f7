"""Who may reach which account action: anonymous people are sent to log in, and every
signed-in action works on the current user only (there is no URL naming someone else)."""

import pytest

from app.accounts.models import Role, User
from app.extensions import db
from tests.fixtures.users import PASSWORD, login_as, make_user

ACCOUNT_ACTIONS = [
    ("GET", "/settings"),
    ("POST", "/settings"),
    ("GET", "/settings/profile"),
    ("POST", "/settings/profile"),
    ("POST", "/settings/password"),
    ("POST", "/settings/verify"),
    ("GET", "/settings/export"),
    ("GET", "/settings/delete"),
    ("POST", "/settings/delete"),
]
OWN_PAGES = [
    ("GET", "/settings"),
    ("POST", "/settings"),
    ("GET", "/settings/profile"),
    ("GET", "/settings/export"),
    ("GET", "/settings/delete"),
]
PUBLIC_PAGES = ["/login", "/register", "/password/forgot", "/u/ada"]


@pytest.mark.parametrize(("method", "path"), ACCOUNT_ACTIONS)
def test_anonymous_people_are_sent_to_log_in(client, method, path):
    make_user(username="ada")
    response = client.open(path, method=method, data={"password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    assert path in location.replace("%2F", "/")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anyone_may_read_the_public_pages(client, path):
    make_user(username="ada")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.ADMIN])
@pytest.mark.parametrize(("method", "path"), OWN_PAGES)
def test_every_role_reaches_its_own_account_pages(client, role, method, path):
    login_as(client, make_user(username="someone", role=role))
    response = client.open(path, method=method, data={"timezone": "UTC"})
    assert response.status_code in (200, 302)
    assert not response.headers.get("Location", "").startswith("/login")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_nobody_edits_another_persons_profile(client, role):
    ada = make_user(username="ada", display_name="Ada")
    intruder = make_user(username="intruder", role=role)
    login_as(client, intruder)

    page = client.get("/u/ada").get_data(as_text=True)
    assert "Edit profile" not in page
    client.post("/settings/profile", data={"display_name": "Hacked", "bio": "pwned"})

    assert db.session.get(User, ada.id).display_name == "Ada"
    assert db.session.get(User, intruder.id).display_name == "Hacked"
    assert client.get("/u/ada/edit").status_code == 404


def test_deleting_affects_only_the_signed_in_account(client):
    ada = make_user(username="ada")
    grace = make_user(username="grace")
    login_as(client, grace)
    client.post("/settings/delete", data={"password": PASSWORD, "username": "ada", "user_id": ada.id})
    assert not db.session.get(User, ada.id).is_deleted
    assert db.session.get(User, grace.id).is_deleted


def test_the_export_holds_only_the_signed_in_persons_data(client):
    make_user(username="ada", email="ada@example.com")
    login_as(client, make_user(username="grace"))
    response = client.get("/settings/export?username=ada&user_id=1")
    assert response.json["profile"]["username"] == "grace"
    assert "ada@example.com" not in response.get_data(as_text=True)


def test_a_session_for_a_deleted_account_is_anonymous(client):
    ada = make_user(username="ada")
    login_as(client, ada)
    ada.deleted_at = ada.created_at
    db.session.commit()
    assert client.get("/settings").status_code == 302
