"""Verification and password reset, end to end through a real SMTP server on loopback."""

from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner

from app.accounts.models import User
from app.extensions import db
from app.insights.models import Event
from tests.fixtures.smtp import link_in, running_smtp_server
from tests.fixtures.users import PASSWORD, login, login_as, make_user

RESET_SENT = "If an account exists for that address, we sent a link to reset the password."
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def smtp():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def app_config(app_config, smtp):
    return {**app_config, "MAIL_SERVER": smtp.host, "MAIL_PORT": smtp.port}


def _path(link: str) -> str:
    assert link.startswith("http://guildhall.test/")
    parts = urlsplit(link)
    return parts.path


def _events(type_: str) -> list[Event]:
    return list(db.session.scalars(db.select(Event).filter_by(type=type_)))


def _register(client) -> User:
    client.post("/register", data={"username": "ada", "email": "ada@example.com",
                                   "password": "analytical engine"})
    return db.session.scalar(db.select(User).filter_by(username_key="ada"))


def test_the_verification_link_from_the_email_verifies_the_address(client, smtp):
    user = _register(client)
    [mail] = smtp.to("ada@example.com")
    assert mail.message["Subject"] == "Confirm your email for Guildhall"
    link = link_in(mail.text, "/verify/")
    assert f'href="{link}"' in mail.html

    response = client.get(_path(link), follow_redirects=True)

    assert "Thanks, your email address is verified." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_verified_at is not None
    [event] = _events("verify_email")
    assert event.user_id == user.id
    again = client.get(_path(link), follow_redirects=True)
    assert "Your email address was already verified." in again.get_data(as_text=True)
    assert len(_events("verify_email")) == 1


def test_the_link_works_when_logged_out_and_sends_to_the_login_page(client, smtp):
    user = _register(client)
    client.post("/logout")
    response = client.get(_path(link_in(smtp.messages[0].text, "/verify/")))
    assert response.headers["Location"] == "/login"
    assert db.session.get(User, user.id).email_verified_at is not None


def test_an_expired_verification_link_is_refused(client, smtp, monkeypatch, app):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000)
    user = _register(client)
    link = link_in(smtp.messages[0].text, "/verify/")
    later = 1_000_000 + app.config["EMAIL_TOKEN_MAX_AGE"] + 1
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)

    response = client.get(_path(link), follow_redirects=True)

    assert "This link has expired. Please ask for a new one." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_verified_at is None


def test_a_tampered_verification_link_is_refused(client, smtp):
    user = _register(client)
    link = link_in(smtp.messages[0].text, "/verify/")
    response = client.get(_path(link)[:-3] + "xyz", follow_redirects=True)
    assert "This link is not valid." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_verified_at is None


def test_a_link_for_an_address_no_longer_on_the_account_is_refused(client, smtp):
    user = _register(client)
    link = link_in(smtp.messages[0].text, "/verify/")
    user.email = "changed@example.com"
    db.session.commit()
    response = client.get(_path(link), follow_redirects=True)
    assert "no longer on any account" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_verified_at is None


def test_settings_shows_the_status_and_resends_the_link(client, smtp):
    user = make_user(username="ada", verified=False)
    login_as(client, user)
    page = client.get("/settings").get_data(as_text=True)
    assert "Not verified" in page and "Resend the confirmation link" in page

    response = client.post("/settings/verify", follow_redirects=True)

    assert "We sent a new confirmation link to ada@example.com." in response.get_data(as_text=True)
    [mail] = smtp.to("ada@example.com")
    client.get(_path(link_in(mail.text, "/verify/")))
    page = client.get("/settings").get_data(as_text=True)
    assert "Verified" in page and "Resend the confirmation link" not in page


def test_resending_to_a_verified_address_sends_nothing(client, smtp):
    login_as(client, make_user(username="ada", verified=True))
    response = client.post("/settings/verify", follow_redirects=True)
    assert "Your email address is already verified." in response.get_data(as_text=True)
    assert smtp.messages == []


def test_a_failed_send_says_so_and_keeps_the_account(client, app):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    user = make_user(username="ada", verified=False)
    login_as(client, user)
    response = client.post("/settings/verify", follow_redirects=True)
    assert "We could not send the email just now." in response.get_data(as_text=True)


def test_a_password_reset_from_request_to_new_password(client, smtp):
    user = make_user(username="ada", email="ada@example.com")

    response = client.post("/password/forgot", data={"email": "ADA@example.com"}, follow_redirects=True)

    assert RESET_SENT in response.get_data(as_text=True)
    [mail] = smtp.to("ada@example.com")
    assert mail.message["Subject"] == "Reset your Guildhall password"
    link = _path(link_in(mail.text, "/password/reset/"))
    assert 'name="password"' in client.get(link).get_data(as_text=True)

    weak = client.post(link, data={"password": "password123"})
    assert weak.status_code == 422
    assert "That password is too common." in weak.get_data(as_text=True)

    done = client.post(link, data={"password": NEW_PASSWORD}, follow_redirects=True)

    assert "Your password has been changed." in done.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(NEW_PASSWORD)
    assert "Invalid username or password." in login(client, "ada", PASSWORD).get_data(as_text=True)
    assert login(client, "ada", NEW_PASSWORD).status_code == 302
    [event] = _events("password_reset")
    assert event.user_id == user.id


def test_a_reset_link_works_only_once(client, smtp):
    make_user(username="ada", email="ada@example.com")
    client.post("/password/forgot", data={"email": "ada@example.com"})
    link = _path(link_in(smtp.messages[0].text, "/password/reset/"))
    client.post(link, data={"password": NEW_PASSWORD})

    for response in (client.get(link, follow_redirects=True),
                     client.post(link, data={"password": "yet another passphrase"}, follow_redirects=True)):
        assert "This link has already been used." in response.get_data(as_text=True)
    assert len(_events("password_reset")) == 1


def test_an_older_reset_link_dies_when_a_newer_one_is_used(client, smtp):
    make_user(username="ada", email="ada@example.com")
    client.post("/password/forgot", data={"email": "ada@example.com"})
    client.post("/password/forgot", data={"email": "ada@example.com"})
    first, second = (_path(link_in(m.text, "/password/reset/")) for m in smtp.messages)
    client.post(second, data={"password": NEW_PASSWORD})
    response = client.get(first, follow_redirects=True)
    assert "This link has already been used." in response.get_data(as_text=True)


def test_an_expired_reset_link_is_refused(client, smtp, monkeypatch, app):
    user = make_user(username="ada", email="ada@example.com")
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000)
    client.post("/password/forgot", data={"email": "ada@example.com"})
    later = 1_000_000 + app.config["RESET_TOKEN_MAX_AGE"] + 1
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)

    link = _path(link_in(smtp.messages[0].text, "/password/reset/"))
    response = client.post(link, data={"password": NEW_PASSWORD}, follow_redirects=True)

    assert "This link has expired." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp):
    make_user(username="ada", email="ada@example.com")
    response = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert RESET_SENT in response.get_data(as_text=True)
    assert smtp.messages == []


def test_a_deleted_account_gets_no_reset_email(client, smtp):
    user = make_user(username="ada", email="ada@example.com")
    login_as(client, user)
    client.post("/settings/delete", data={"password": PASSWORD})
    response = client.post("/password/forgot", data={"email": "ada@example.com"}, follow_redirects=True)
    assert RESET_SENT in response.get_data(as_text=True)
    assert smtp.messages == []
    assert db.session.get(User, user.id).email == f"deleted-{user.id}@invalid"


def test_a_malformed_address_is_a_field_error_with_the_input_kept(client, smtp):
    response = client.post("/password/forgot", data={"email": "ada-at-example"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid email address." in page and 'value="ada-at-example"' in page
