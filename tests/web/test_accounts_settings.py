import json

import pytest

from app.accounts.models import Role, User
from app.extensions import db
from app.forum.models import Post, SearchDocument, Thread, Vote
from app.insights.models import Event
from app.insights.services import record
from app.outreach import preferences
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import PASSWORD, login, login_as, make_user

NEW_PASSWORD = "a brand new passphrase"


def _events(type_: str) -> list[Event]:
    return list(db.session.scalars(db.select(Event).filter_by(type=type_)))


@pytest.fixture
def ada(client):
    user = make_user(username="ada", email="ada@example.com", display_name="Ada Lovelace")
    login_as(client, user)
    return user


def test_the_settings_page_shows_the_account_and_links_onwards(client, ada):
    page = client.get("/settings").get_data(as_text=True)
    assert "ada@example.com" in page and "Verified" in page
    assert 'href="/settings/export"' in page and "Download my data" in page
    assert 'href="/settings/delete"' in page and "Delete account" in page
    assert 'href="/settings/profile"' in page
    assert '<option selected value="UTC">UTC</option>' in page
    assert "Europe/Paris" in page


def test_saving_preferences(client, ada):
    response = client.post("/settings", data={"timezone": "Europe/Paris"}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Your settings have been saved." in page
    assert 'href="/settings/email"' in page  # email choices live on their own page
    user = db.session.get(User, ada.id)
    assert user.timezone == "Europe/Paris"
    [event] = _events("settings_update")
    assert event.data == {"timezone": "Europe/Paris", "hide_from_leaderboards": False,
                          "personalise": False}


def test_personalisation_is_on_until_turned_off(client, ada):
    page = client.get("/settings").get_data(as_text=True)
    assert 'checked id="personalise" name="personalise" type="checkbox"' in page
    assert "your activity is left out of scores and communities" in page

    client.post("/settings", data={"personalise": "y", "timezone": "UTC"})
    assert db.session.get(User, ada.id).personalise is True
    client.post("/settings", data={"timezone": "UTC"})
    assert db.session.get(User, ada.id).personalise is False
    assert _events("settings_update")[-1].data["personalise"] is False


def test_times_follow_the_chosen_zone(client, ada):
    client.post("/settings", data={"timezone": "Asia/Tokyo"})
    page = client.get("/settings").get_data(as_text=True)
    assert " JST" in page


def test_an_unknown_time_zone_is_refused_and_the_other_choices_kept(client, ada):
    response = client.post("/settings", data={"hide_from_leaderboards": "y",
                                              "timezone": "Mars/Olympus"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a time zone from the list." in page
    assert 'checked id="hide_from_leaderboards" name="hide_from_leaderboards"' in page
    assert db.session.get(User, ada.id).timezone == "UTC"
    assert _events("settings_update") == []


def test_changing_the_password(client, ada):
    response = client.post("/settings/password",
                           data={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
                           follow_redirects=True)

    assert "Your password has been changed." in response.get_data(as_text=True)
    assert db.session.get(User, ada.id).check_password(NEW_PASSWORD)
    [event] = _events("settings_update")
    assert event.data == {"changed": ["password"]}


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong password!", NEW_PASSWORD, "That is not your current password."),
        (PASSWORD, "short", "Use at least 10 characters."),
        (PASSWORD, "1234567890", "That password is too common."),
        (PASSWORD, "ada@example.com", "must not be your username or email"),
    ],
)
def test_a_refused_password_change_says_why(client, ada, current, new, message):
    response = client.post("/settings/password", data={"current_password": current, "new_password": new})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'value="{new}"' not in page and f'value="{current}"' not in page
    assert db.session.get(User, ada.id).check_password(PASSWORD)


def test_exporting_downloads_everything_of_theirs_as_json(client, ada):
    other = make_user()
    thread = make_thread(author=ada, title="My question about the engine")
    answer = make_post(thread=make_thread(author=other), author=ada, body="My **answer** text")
    voted = answer.thread.posts[0]
    db.session.add(Vote(user_id=ada.id, post_id=voted.id, value=1))
    record("ask", user=ada, subject=thread)
    db.session.commit()
    make_post(thread=thread, author=other, body="Someone else's reply is not theirs")

    response = client.get("/settings/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ada-data-') and disposition.endswith('.json"')
    data = json.loads(response.data)
    assert data["profile"]["username"] == "ada" and data["profile"]["email"] == "ada@example.com"
    assert [t["title"] for t in data["threads"]] == ["My question about the engine"]
    assert [p["body"] for p in data["posts"]] == [thread.posts[0].body, "My **answer** text"]
    assert data["votes"] == [{"post_id": voted.id, "value": 1,
                              "created_at": data["votes"][0]["created_at"]}]
    assert [e["type"] for e in data["events"]] == ["ask", "export"]
    assert "password_hash" not in response.get_data(as_text=True)
    assert len(_events("export")) == 1


def test_deleting_needs_the_password(client, ada):
    response = client.post("/settings/delete", data={"password": "not my password", "remove_posts": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That password is not correct." in page
    assert 'id="remove_posts" name="remove_posts" type="checkbox" value="y"' in page
    assert not db.session.get(User, ada.id).is_deleted


def test_deleting_anonymises_logs_out_and_keeps_the_posts(client, ada):
    ada.bio, ada.bio_html = "About me", "<p>About me</p>"
    preferences.set_mode(ada.id, "reengagement", "subscribed")
    db.session.commit()
    thread = make_thread(author=ada, title="A question that should stay")
    answer = make_post(thread=make_thread(author=make_user()), author=ada)

    response = client.post("/settings/delete", data={"password": PASSWORD}, follow_redirects=True)

    assert "Your account has been deleted." in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302
    user = db.session.get(User, ada.id)
    assert user.is_deleted
    assert (user.username, user.username_key, user.email) == (
        f"deleted-{user.id}", f"deleted-{user.id}", f"deleted-{user.id}@invalid")
    assert (user.display_name, user.bio, user.bio_html) == ("Deleted user", "", "")
    assert user.password_hash.startswith("!") and not user.check_password(PASSWORD)
    assert user.email_verified_at is None
    assert preferences.mode_of(user.id, "reengagement") == "never"
    assert db.session.get(Thread, thread.id).deleted_at is None
    assert db.session.get(Post, answer.id).deleted_at is None
    assert db.session.get(SearchDocument, answer.id) is not None
    [event] = _events("account_delete")
    assert event.user_id == user.id and event.data == {"removed_posts": False}
    assert client.get("/u/ada").status_code == 404
    assert "Invalid username or password." in login(client, "ada").get_data(as_text=True)


def test_the_freed_username_and_email_can_be_registered_again(client, ada):
    client.post("/settings/delete", data={"password": PASSWORD})
    response = client.post("/register", data={"username": "ada", "email": "ada@example.com",
                                               "password": "analytical engine"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


def test_deleting_with_remove_posts_hides_their_content_everywhere(client, ada):
    asker = make_user()
    own = make_thread(author=ada, title="Ada's own question")
    reply_in_own = make_post(thread=own, author=asker, body="Someone answered Ada")
    question = make_thread(author=asker, title="Someone else's question")
    answer = make_post(thread=question, author=ada, body="Ada's answer body")
    question.accepted_post_id = answer.id
    kept = make_post(thread=question, author=asker, body="Another answer that stays")
    db.session.commit()

    client.post("/settings/delete", data={"password": PASSWORD, "remove_posts": "y"})

    assert db.session.get(Thread, own.id).deleted_at is not None
    removed = db.session.get(Post, answer.id)
    assert removed.deleted_at is not None and removed.deleted_by_id == ada.id
    assert removed.body == "Ada's answer body"  # hidden, not erased
    assert db.session.get(Post, own.posts[0].id).deleted_at is not None
    assert db.session.get(Post, reply_in_own.id).deleted_at is None
    live = db.session.get(Thread, question.id)
    assert live.deleted_at is None and live.reply_count == 1 and live.accepted_post_id is None
    indexed = set(db.session.scalars(db.select(SearchDocument.post_id)))
    assert indexed == {question.posts[0].id, kept.id}
    [event] = _events("account_delete")
    assert event.data == {"removed_posts": True}


def test_staff_who_delete_their_account_lose_the_role(client):
    admin = make_user(username="boss", role=Role.ADMIN)
    login_as(client, admin)
    client.post("/settings/delete", data={"password": PASSWORD})
    assert db.session.get(User, admin.id).role == Role.MEMBER


def test_the_delete_page_offers_the_export_first(client, ada):
    page = client.get("/settings/delete").get_data(as_text=True)
    assert "This cannot be undone." in page
    assert 'href="/settings/export"' in page
    assert 'name="remove_posts"' in page
