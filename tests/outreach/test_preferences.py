"""Email preferences: one choice per kind of email, defaults without a row, and the page."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.insights.models import Event
from app.outreach import preferences
from app.outreach.models import EmailPreference
from tests.fixtures.users import login_as, make_user


def test_defaults_without_rows_and_marketing_is_opt_in(app):
    ada = make_user()
    modes = preferences.modes_of(ada.id)
    assert modes["answer"] == "immediately" and modes["accepted"] == "daily"
    assert modes["message"] == "immediately"
    assert modes["reengagement"] == "never"
    assert db.session.scalar(select(EmailPreference).where(EmailPreference.user_id == ada.id)) is None


def test_setting_a_mode_stores_only_what_differs_from_the_default(app):
    ada, bob = make_user(), make_user()
    assert preferences.set_mode(ada.id, "reply", "daily") is True
    assert preferences.set_mode(ada.id, "reply", "daily") is False
    assert preferences.set_mode(ada.id, "answer", "immediately") is False  # the default
    db.session.commit()
    assert preferences.mode_of(ada.id, "reply") == "daily"
    assert preferences.users_with_mode("reply", "daily", [ada.id, bob.id]) == {ada.id}
    assert preferences.users_with_mode("reply", "immediately", [ada.id, bob.id]) == {bob.id}


@pytest.mark.parametrize("kind, mode", [("nonsense", "never"), ("reply", "subscribed"),
                                        ("reengagement", "daily")])
def test_unknown_kinds_and_modes_are_refused(app, kind, mode):
    with pytest.raises(preferences.UnknownPreference):
        preferences.set_mode(make_user().id, kind, mode)


def test_the_page_shows_every_kind_with_the_current_choice(client):
    ada = make_user()
    preferences.set_mode(ada.id, "mention", "never")
    db.session.commit()
    login_as(client, ada)
    page = client.get("/settings/email").get_data(as_text=True)
    for kind in preferences.KINDS.values():
        assert kind.label in page
    assert 'name="mode-mention" value="never" checked' in page
    assert 'name="mode-answer" value="immediately" checked' in page
    assert "Private messages" in page
    assert 'name="mode-message" value="immediately" checked' in page
    assert 'name="mode-reengagement" value="never" checked' in page


def test_saving_the_page_changes_only_what_was_chosen_and_records_it(client):
    ada = make_user()
    login_as(client, ada)
    response = client.post("/settings/email", data={
        "mode-reengagement": "subscribed", "mode-reply": "daily", "mode-answer": "immediately"},
        follow_redirects=True)
    assert "Your email preferences have been saved." in response.get_data(as_text=True)
    assert preferences.mode_of(ada.id, "reengagement") == "subscribed"
    assert preferences.mode_of(ada.id, "reply") == "daily"
    [event] = db.session.scalars(select(Event).where(Event.type == "email_preferences")).all()
    assert event.user_id == ada.id
    assert event.data == {"reengagement": "subscribed", "reply": "daily"}


def test_a_tampered_choice_changes_nothing(client):
    ada = make_user()
    login_as(client, ada)
    response = client.post("/settings/email", data={"mode-reply": "daily",
                                                     "mode-answer": "hourly"})
    assert response.status_code == 422
    assert "One of the choices is not available." in response.get_data(as_text=True)
    assert preferences.mode_of(ada.id, "reply") == "immediately"


def test_the_page_needs_a_login(client):
    response = client.get("/settings/email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/settings/email", data={"mode-reply": "never"}).status_code == 302


def test_the_export_carries_the_email_preferences(client):
    ada = make_user()
    preferences.set_mode(ada.id, "reengagement", "subscribed")
    db.session.commit()
    login_as(client, ada)
    data = json.loads(client.get("/settings/export").data)
    assert data["profile"]["email_preferences"]["reengagement"] == "subscribed"
