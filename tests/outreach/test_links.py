"""Links in emails: tracked links lead only to our own pages and count the first click;
one-click unsubscribe works without a login or a CSRF token, and only with a real link.

CSRF is on here, as in production, so the unsubscribe POSTs prove the view is exempt.
"""

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from app.accounts.deletion import delete_account
from app.extensions import db
from app.insights.models import Event
from app.outreach import links, preferences
from tests.fixtures.outreach import make_message
from tests.fixtures.users import PASSWORD, login_as, make_user

BAD_PATHS = ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example",
             "evil.example", "javascript:alert(1)", "/\t/evil.example", " //evil.example", ""]
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _signed(app, purpose: str, data) -> str:
    """A token made with the app's own secret, so only our checks of its content stand
    between it and the redirect."""
    return URLSafeSerializer(app.config["SECRET_KEY"], salt=purpose).dumps(data)


def _events(type: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.type == type).order_by(Event.id)))


def _tampered(url: str) -> str:
    return url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")


def test_csrf_is_on_for_these_tests(client):
    login_as(client, make_user())
    assert client.post("/settings/email", data={"mode-reply": "daily"}).status_code == 400


# Tracked links


def test_a_tracked_link_records_the_click_and_goes_to_the_page(client):
    ada = make_user()
    message = make_message(user=ada)
    url = links.tracked_url(message.id, "/threads/7?sort=votes#answers")
    assert url.startswith("http://guildhall.test/r/")

    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/threads/7?sort=votes#answers"
    db.session.refresh(message)
    assert message.clicked_at is not None
    [click] = _events("email_click")
    assert (click.user_id, click.subject_id) == (ada.id, message.id)
    assert click.data == {"campaign": message.campaign, "variant": "",
                          "path": "/threads/7?sort=votes#answers"}


def test_only_the_first_click_sets_clicked_at(client):
    message = make_message(user=make_user())
    url = links.tracked_url(message.id, "/")
    client.get(url)
    first = db.session.get(type(message), message.id).clicked_at
    client.get(links.tracked_url(message.id, "/courses"))
    db.session.refresh(message)
    assert message.clicked_at == first
    assert [e.data["path"] for e in _events("email_click")] == ["/", "/courses"]


def test_a_tampered_tracked_link_is_refused_and_records_nothing(client):
    message = make_message(user=make_user())
    response = client.get(_tampered(links.tracked_url(message.id, "/")))
    assert response.status_code == 400
    assert "Location" not in response.headers
    db.session.refresh(message)
    assert message.clicked_at is None and _events("email_click") == []


@pytest.mark.parametrize("path", BAD_PATHS)
def test_a_signed_link_to_another_site_is_refused_and_records_nothing(app, client, path):
    message = make_message(user=make_user())
    response = client.get(f"/r/{_signed(app, links.TRACKED, {'m': message.id, 'p': path})}")
    assert response.status_code == 400
    assert "Location" not in response.headers
    db.session.refresh(message)
    assert message.clicked_at is None and _events("email_click") == []


@pytest.mark.parametrize("data", [{"m": "1", "p": "/"}, {"p": "/"}, ["/", 1], "/"])
def test_a_signed_tracked_link_of_the_wrong_shape_is_refused(app, client, data):
    assert client.get(f"/r/{_signed(app, links.TRACKED, data)}").status_code == 400


def test_an_unsubscribe_token_is_not_a_tracked_link(client):
    ada = make_user()
    token = links.unsubscribe_token(ada.id, "reply")
    assert client.get(f"/r/{token}").status_code == 400


@pytest.mark.parametrize("path", BAD_PATHS)
def test_tracked_url_refuses_anything_but_a_path_on_this_site(app, path):
    with pytest.raises(ValueError):
        links.tracked_url(1, path)


# Unsubscribe


def test_the_unsubscribe_page_asks_first_and_changes_nothing(client):
    ada = make_user()
    url = links.unsubscribe_url(ada.id, "reply")
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unsubscribe?" in page and "replies to your posts" in page
    assert f'action="{url.removeprefix("http://guildhall.test")}"' in page
    assert preferences.mode_of(ada.id, "reply") == preferences.IMMEDIATELY
    assert _events("email_unsubscribe") == []


@pytest.mark.parametrize("kind, before", [("reply", preferences.IMMEDIATELY),
                                          ("reengagement", preferences.SUBSCRIBED)])
def test_a_one_click_post_unsubscribes_from_that_kind_only(client, kind, before):
    ada = make_user()
    preferences.set_mode(ada.id, "reengagement", preferences.SUBSCRIBED)
    preferences.set_mode(ada.id, "mention", preferences.DAILY)
    db.session.commit()
    others = {k: m for k, m in preferences.modes_of(ada.id).items() if k != kind}
    assert preferences.mode_of(ada.id, kind) == before

    response = client.post(links.unsubscribe_url(ada.id, kind), data=ONE_CLICK)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True)
    modes = preferences.modes_of(ada.id)
    assert modes.pop(kind) == preferences.NEVER
    assert modes == others
    [unsubscribed] = _events("email_unsubscribe")
    assert (unsubscribed.user_id, unsubscribed.data) == (ada.id, {"kind": kind})


def test_unsubscribing_again_records_nothing_new(client):
    ada = make_user()
    url = links.unsubscribe_url(ada.id, "reply")
    client.post(url, data=ONE_CLICK)
    response = client.post(url, data=ONE_CLICK)
    assert response.status_code == 200
    assert len(_events("email_unsubscribe")) == 1


def test_the_link_decides_whose_email_stops_not_the_login(client):
    ada, bob = make_user(), make_user()
    login_as(client, bob)
    assert client.post(links.unsubscribe_url(ada.id, "reply"), data=ONE_CLICK).status_code == 200
    assert preferences.mode_of(ada.id, "reply") == preferences.NEVER
    assert preferences.mode_of(bob.id, "reply") == preferences.IMMEDIATELY


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(client, method):
    ada = make_user()
    url = _tampered(links.unsubscribe_url(ada.id, "reply"))
    response = getattr(client, method)(url, data=ONE_CLICK if method == "post" else None)
    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)
    assert preferences.mode_of(ada.id, "reply") == preferences.IMMEDIATELY
    assert _events("email_unsubscribe") == []


@pytest.mark.parametrize("data", [{"u": 1, "k": "newsletter"}, {"u": "1", "k": "reply"},
                                  {"k": "reply"}])
def test_a_signed_unsubscribe_link_of_the_wrong_shape_is_refused(app, client, data):
    token = _signed(app, links.UNSUBSCRIBE, data)
    assert client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 400


def test_a_tracked_link_is_not_an_unsubscribe_link(client):
    token = links.tracked_url(1, "/").rsplit("/", 1)[1]
    assert client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_link_of_a_deleted_account_is_not_found(client, method):
    ada = make_user()
    url = links.unsubscribe_url(ada.id, "reply")
    delete_account(ada, password=PASSWORD, remove_posts=False)
    events = db.session.scalar(select(func.count(Event.id)))
    response = getattr(client, method)(url, data=ONE_CLICK if method == "post" else None)
    assert response.status_code == 404
    assert "Unsubscribe?" not in response.get_data(as_text=True)
    assert _events("email_unsubscribe") == []
    assert db.session.scalar(select(func.count(Event.id))) == events


def test_the_link_of_an_account_that_never_existed_is_not_found(app, client):
    token = _signed(app, links.UNSUBSCRIBE, {"u": 999_999, "k": "reply"})
    assert client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 404
