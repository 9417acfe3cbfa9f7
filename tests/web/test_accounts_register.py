from app.accounts.models import User
from app.extensions import db
from app.insights.models import Event
from app.outreach import preferences
from tests.fixtures.smtp import link_in, read_outbox
from tests.fixtures.users import PASSWORD, make_user

GOOD = {
    "username": "Ada_L",
    "email": "Ada@Example.com",
    "display_name": "Ada Lovelace",
    "password": "analytical engine",
}


def _user(username_key: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(username_key=username_key))


def test_the_form_renders_with_every_field(client):
    page = client.get("/register").get_data(as_text=True)
    for name in ("username", "email", "display_name", "password", "email_digest"):
        assert f'name="{name}"' in page


def test_registering_creates_a_member_logs_in_and_sends_the_verification_link(app, client):
    response = client.post("/register", data=GOOD)

    assert response.status_code == 302
    user = _user("ada_l")
    assert (user.username, user.email, user.display_name) == ("Ada_L", "ada@example.com", "Ada Lovelace")
    assert user.role == "member" and user.email_verified_at is None
    assert preferences.mode_of(user.id, "reengagement") == "never"  # opt-in only
    assert user.check_password("analytical engine")
    [event] = db.session.scalars(db.select(Event).filter_by(type="register")).all()
    assert event.user_id == user.id
    [mail] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert mail["To"] == "ada@example.com"
    assert link_in(mail.get_body(("plain",)).get_content(), "/verify/").startswith(
        "http://guildhall.test/verify/"
    )

    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Welcome to Guildhall, Ada Lovelace!" in home
    assert "Log out" in home


def test_the_digest_checkbox_opts_in_and_the_display_name_is_optional(client):
    client.post("/register", data={**GOOD, "display_name": "", "email_digest": "y"})
    user = _user("ada_l")
    assert preferences.mode_of(user.id, "reengagement") == "subscribed"
    assert user.display_name == "" and user.name == "Ada_L"


def test_a_safe_next_is_followed_and_an_unsafe_one_ignored(client):
    assert client.post("/register?next=/settings", data=GOOD).headers["Location"] == "/settings"
    client.post("/logout")
    other = {**GOOD, "username": "grace", "email": "grace@example.com"}
    response = client.post("/register?next=https://evil.example/", data=other)
    assert response.headers["Location"] == "/interests?welcome=1"  # onboarding instead


def _refused(client, data, field_error):
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error in page
    return page


def test_a_malformed_username_is_refused_and_the_typed_values_kept(client):
    page = _refused(client, {**GOOD, "username": "ada lovelace"},
                    "Use 3 to 30 letters, digits, underscores or hyphens.")
    assert 'value="ada lovelace"' in page
    assert 'value="Ada@Example.com"' in page
    assert 'value="Ada Lovelace"' in page
    assert "analytical engine" not in page  # the password is never sent back
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_username_taken_in_another_case_is_refused(client):
    make_user(username="ada_l")
    _refused(client, GOOD, "That username is taken. Please pick another.")


def test_an_email_taken_in_another_case_is_refused(client):
    make_user(username="someone", email="ada@example.com")
    _refused(client, GOOD, "An account with that email already exists.")


def test_short_and_common_passwords_are_refused(client):
    _refused(client, {**GOOD, "password": "short"}, "Use at least 10 characters.")
    _refused(client, {**GOOD, "password": "Password123"}, "That password is too common.")
    assert _user("ada_l") is None


def test_missing_fields_and_a_bad_email_get_field_errors(client):
    page = _refused(client, {"username": "", "email": "not-an-email", "password": ""},
                    "Enter a valid email address.")
    assert page.count("This field is required.") == 2


def test_nothing_is_sent_or_recorded_when_registration_fails(app, client):
    client.post("/register", data={**GOOD, "password": "short"})
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_a_signed_in_person_is_sent_home_from_the_form(client):
    make_user(username="ada")
    client.post("/login", data={"identifier": "ada", "password": PASSWORD})
    assert client.get("/register").headers["Location"] == "/"


def test_when_the_email_cannot_be_sent_the_account_stands_and_says_so(app, client):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    response = client.post("/register", data=GOOD, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "We could not send the confirmation email; resend it from your settings." in page
    assert _user("ada_l") is not None
    assert "Log out" in page
