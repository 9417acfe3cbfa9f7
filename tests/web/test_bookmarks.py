"""Bookmarks: the button on the thread page (POST + CSRF, signed-in only) and the list."""

from sqlalchemy import func, select

from app.extensions import db
from app.forum.models import Bookmark
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import login_as, make_user


def _bookmarks() -> int:
    return db.session.scalar(select(func.count()).select_from(Bookmark))


def test_saving_a_thread_shows_it_in_bookmarks_and_a_second_save_changes_nothing(client):
    reader, thread = make_user(), make_thread(author=make_user(), title="How do I stream a large CSV file?")
    login_as(client, reader)

    before = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    assert 'aria-pressed="false"' in before and "☆ Bookmark" in before

    for _ in range(2):  # a double click
        response = client.post(f"/t/{thread.id}/bookmark", data={"saved": "1"},
                               follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Bookmarked: find it under Bookmarks." in page and "★ Bookmarked" in page
    assert _bookmarks() == 1

    listing = client.get("/bookmarks").get_data(as_text=True)
    assert "How do I stream a large CSV file?" in listing

    client.post(f"/t/{thread.id}/bookmark", data={"saved": "0"})
    assert _bookmarks() == 0
    assert "No bookmarks yet" in client.get("/bookmarks").get_data(as_text=True)


def test_bookmarks_are_personal(client):
    thread = make_thread(author=make_user(), title="A thread only one person saved")
    db.session.add(Bookmark(user_id=make_user().id, thread_id=thread.id))
    db.session.commit()
    login_as(client, make_user())

    assert "A thread only one person saved" not in client.get("/bookmarks").get_data(as_text=True)


def test_visitors_get_no_button_and_cannot_bookmark(client):
    thread = make_thread(author=make_user())

    assert "bookmark-button" not in client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    response = client.post(f"/t/{thread.id}/bookmark", data={"saved": "1"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/bookmarks").status_code == 302
    assert _bookmarks() == 0


def test_a_thread_you_cannot_see_cannot_be_bookmarked(client):
    hidden = make_thread(author=make_user(), category=make_category(member_only=True))
    login_as(client, make_user())

    assert client.post(f"/t/{hidden.id}/bookmark", data={"saved": "1"}).status_code == 403
    assert client.post("/t/99999/bookmark", data={"saved": "1"}).status_code == 404
    assert _bookmarks() == 0


def test_the_bookmark_form_needs_its_csrf_token(app_config, client):
    app = client.application
    app.config["WTF_CSRF_ENABLED"] = True
    thread = make_thread(author=make_user())
    login_as(client, make_user())

    assert client.post(f"/t/{thread.id}/bookmark", data={"saved": "1"}).status_code == 400
    assert _bookmarks() == 0
