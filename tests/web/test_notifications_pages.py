"""The notifications page, marking read, and the unread count in the navigation bar."""

import re

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification
from tests.fixtures.forum import first_post, make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _answered(asker, *, title: str = "How do I read a large file lazily?", category=None):
    """A question of `asker` with one answer, and the notification about it."""
    thread = make_thread(author=asker, title=title, category=category)
    answerer = make_user(display_name="Bob Answerer")
    answer = make_post(thread=thread, author=answerer)
    note = services.notify(asker.id, "answer", subject=thread, actor_id=answerer.id,
                           data={"thread_id": thread.id, "post_id": answer.id})
    db.session.commit()
    return thread, answer, note


def _bell(html: str) -> str | None:
    found = re.search(r'<span class="bell-count"[^>]*>([^<]+)</span>', html)
    return found.group(1) if found else None


@pytest.fixture
def asker(app):
    return make_user(username="asker")


def test_the_page_needs_a_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_empty_page_says_what_will_show_up(client, asker):
    login_as(client, asker)

    page = client.get("/notifications").get_data(as_text=True)

    assert "No notifications yet" in page
    assert "Mark all as read" not in page
    assert _bell(page) is None


def test_lines_show_newest_first_with_unread_ones_highlighted(client, asker):
    older, older_answer, first = _answered(asker, title="An older question about files")
    newer, _, second = _answered(asker, title="A newer question about sockets")
    services.notify(asker.id, "badge", data={"badge": "student", "name": "Student", "tier": "bronze"})
    services.mark_read(asker, first.id)
    db.session.commit()
    login_as(client, asker)

    page = client.get("/notifications").get_data(as_text=True)

    assert page.index("Student") < page.index("A newer question") < page.index("An older question")
    assert page.count('class="notification notification-') == 3
    assert page.count(" is-unread") == 2
    assert "Bob Answerer</strong> answered your question" in page
    assert f'href="/posts/{older_answer.id}"' in page  # a read line is a plain link
    assert f'action="/notifications/{second.id}/read"' in page  # an unread one marks it read
    assert _bell(page) == "2"


def test_a_folded_line_reads_as_a_count(client, asker):
    thread, _, _ = _answered(asker)
    for _ in range(2):
        services.notify(asker.id, "answer", subject=thread, actor_id=make_user().id,
                        data={"thread_id": thread.id})
    db.session.commit()
    login_as(client, asker)

    page = client.get("/notifications").get_data(as_text=True)

    assert "3 new answers</strong> to your question" in page
    assert _bell(page) == "1"


def test_reading_one_marks_it_and_goes_to_what_it_is_about(client, asker):
    _, answer, note = _answered(asker)
    login_as(client, asker)

    response = client.post(f"/notifications/{note.id}/read")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/posts/{answer.id}")
    db.session.refresh(note)
    assert note.read_at is not None
    assert services.unread_count(asker.id) == 0


def test_only_the_owner_can_read_a_notification(client, asker):
    _, _, note = _answered(asker)
    login_as(client, make_user())

    assert client.post(f"/notifications/{note.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    db.session.refresh(note)
    assert note.read_at is None


def test_reading_needs_a_post(client, asker):
    _, _, note = _answered(asker)
    login_as(client, asker)

    assert client.get(f"/notifications/{note.id}/read").status_code == 405


def test_read_all_marks_only_the_viewers_lines(client, asker):
    _answered(asker)
    _answered(asker, title="A second question about files")
    other = make_user()
    _answered(other)
    login_as(client, asker)

    response = client.post("/notifications/read-all", follow_redirects=True)

    assert "Marked 2 notifications as read." in response.get_data(as_text=True)
    assert services.unread_count(asker.id) == 0
    assert services.unread_count(other.id) == 1
    again = client.post("/notifications/read-all", follow_redirects=True)
    assert "You had no unread notifications." in again.get_data(as_text=True)


def test_targets_of_each_kind(client, asker):
    thread, answer, _ = _answered(asker)
    notes = {
        kind: services.notify(asker.id, kind, data=data)
        for kind, data in [
            ("badge", {"badge": "student", "name": "Student", "tier": "bronze"}),
            ("level_up", {"level": 2, "name": "Learner"}),
            ("privilege", {"privilege": "vote_up", "name": "Vote up"}),
            ("mention", {"thread_id": thread.id}),
        ]
    }
    db.session.commit()
    login_as(client, asker)

    def target(kind):
        return client.post(f"/notifications/{notes[kind].id}/read").headers["Location"]

    assert target("badge").endswith("/badges/student")
    assert target("mention").endswith(f"/t/{thread.id}")
    privileges = "/privileges" if "gamification.privileges" in client.application.view_functions \
        else "/notifications"
    assert target("level_up").endswith(privileges)
    assert target("privilege").endswith(privileges)


def test_a_thread_the_reader_can_no_longer_see_keeps_its_title_hidden(client, asker):
    staff = make_user(role=Role.MODERATOR)
    private = make_category(member_only=True)
    thread = make_thread(author=staff, title="A members-only secret plan", category=private)
    services.notify(asker.id, "mention", subject=thread, actor_id=staff.id,
                    data={"thread_id": thread.id, "post_id": first_post(thread).id})
    db.session.commit()
    login_as(client, asker)

    page = client.get("/notifications").get_data(as_text=True)

    assert "secret plan" not in page
    assert "a thread you can no longer see" in page


def test_the_page_runs_the_same_queries_for_few_and_many_lines(client, asker):
    def queries(lines: int) -> int:
        for n in range(lines):
            _answered(asker, title=f"Question number {n} about large files")
        login_as(client, asker)
        with count_queries() as log:
            assert client.get("/notifications").status_code == 200
        db.session.execute(db.delete(Notification))
        db.session.commit()
        return log.count

    assert queries(2) == queries(12)
    assert queries(3) <= 6  # user, count, lines with actors, threads, the bell


def test_the_page_paginates(client, asker):
    for n in range(services.PER_PAGE + 5):
        services.notify(asker.id, "level_up", data={"level": n, "name": f"Level {n}"})
    db.session.commit()
    login_as(client, asker)

    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)

    assert first.count('class="notification notification-') == services.PER_PAGE
    assert second.count('class="notification notification-') == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_nav_shows_the_unread_count_with_one_query_on_every_page(client, asker):
    _answered(asker)
    login_as(client, asker)

    with count_queries() as log:
        home = client.get("/").get_data(as_text=True)

    assert _bell(home) == "1"
    assert 'aria-label="Notifications, 1 unread"' in home
    assert sum("FROM notification" in s for s in log.statements) == 1


def test_anonymous_visitors_get_no_bell_and_no_query(client, asker):
    _answered(asker)

    with count_queries() as log:
        home = client.get("/").get_data(as_text=True)

    assert "notification-bell" not in home
    assert not any("FROM notification" in s for s in log.statements)


def test_the_nav_links_the_leaderboards_and_badges(client):
    home = client.get("/").get_data(as_text=True)
    for endpoint, path in (("leaderboards.board", "/leaderboards"), ("badges.index", "/badges")):
        if endpoint in client.application.view_functions:
            assert f'href="{path}"' in home
