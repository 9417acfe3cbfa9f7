from app.accounts.models import User
from app.extensions import db
from app.insights.models import Event
from tests.fixtures.users import PASSWORD, login, make_user

GENERIC = "Invalid username or password."


def _events(type_: str) -> list[Event]:
    return list(db.session.scalars(db.select(Event).filter_by(type=type_)))


def test_logging_in_with_the_username_in_any_case(client):
    user = make_user(username="Ada")
    response = login(client, "aDA")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Welcome back, Ada!" in client.get("/").get_data(as_text=True)
    assert client.get("/settings").status_code == 200
    [event] = _events("login")
    assert event.user_id == user.id


def test_logging_in_with_the_email_in_any_case_updates_last_seen(client):
    user = make_user(username="grace", email="grace@example.com")
    assert user.last_seen_at is None
    assert login(client, "Grace@Example.COM").status_code == 302
    assert db.session.get(User, user.id).last_seen_at is not None


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client):
    make_user(username="ada")
    wrong = login(client, "ada", "not the password")
    unknown = login(client, "nobody", "not the password")

    for response in (wrong, unknown):
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert GENERIC in page
        assert "not the password" not in page
    assert 'value="ada"' in wrong.get_data(as_text=True)
    assert client.get("/settings").status_code == 302
    assert _events("login") == []


def test_a_deleted_account_cannot_log_in(client):
    user = make_user(username="ada", email="ada@example.com")
    login(client, "ada")
    client.post("/settings/delete", data={"password": PASSWORD})
    assert db.session.get(User, user.id).is_deleted

    for identifier in ("ada", "ada@example.com", f"deleted-{user.id}", f"deleted-{user.id}@invalid"):
        assert GENERIC in login(client, identifier).get_data(as_text=True)


def test_a_safe_next_is_followed(client):
    make_user(username="ada")
    page = client.get("/login?next=/settings").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/settings"' in page
    response = client.post("/login", data={"identifier": "ada", "password": PASSWORD, "next": "/settings"})
    assert response.headers["Location"] == "/settings"


def test_an_offsite_next_is_ignored(client):
    make_user(username="ada")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/login", data={"identifier": "ada", "password": PASSWORD, "next": target})
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_remember_me_sets_a_remember_cookie(client):
    make_user(username="ada")
    client.post("/login", data={"identifier": "ada", "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token", domain="guildhall.test") is not None


def test_without_remember_me_there_is_no_remember_cookie(client):
    make_user(username="ada")
    login(client, "ada")
    assert client.get_cookie("remember_token", domain="guildhall.test") is None


def test_logging_out_is_a_post_that_ends_the_session(client):
    user = make_user(username="ada")
    login(client, "ada")
    assert client.get("/logout").status_code == 405

    response = client.post("/logout", follow_redirects=True)
    assert "You have been logged out." in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302
    [event] = _events("logout")
    assert event.user_id == user.id


def test_a_signed_in_person_is_sent_on_from_the_login_form(client):
    make_user(username="ada")
    login(client, "ada")
    assert client.get("/login?next=/settings").headers["Location"] == "/settings"


def test_empty_fields_are_required(client):
    response = client.post("/login", data={"identifier": "", "password": ""})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("This field is required.") == 2
