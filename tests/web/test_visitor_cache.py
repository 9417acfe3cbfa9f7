"""Visitors who are not signed in share each page for a few seconds; members never do.

A kept page must not carry anything of the visitor who asked first (a flash, a form
token), errors are never kept, and the thread page still counts every visitor's view.
"""

import pytest
from flask import flash, render_template_string
from sqlalchemy import select

from app.extensions import db
from app.forum.models import Thread
from app.web.visitor_cache import EXTENSION, PageCache, cached_for_visitors
from tests.fixtures.courses import make_course
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.users import login_as, make_user

SECONDS = 30


@pytest.fixture
def app_config(app_config):
    # Form tokens on, as in production: a page that makes one for a visitor is not kept.
    return {**app_config, "VISITOR_PAGE_CACHE_SECONDS": SECONDS, "WTF_CSRF_ENABLED": True}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app):
    clock = FakeClock()
    app.extensions[EXTENSION].clock = clock
    return clock


def _path(thread: Thread) -> str:
    return f"/t/{thread.id}/{thread.slug}"


def test_visitors_share_a_thread_page_until_it_expires_and_members_see_changes_at_once(
        app, client, clock):
    asker, answerer = make_user(), make_user()
    thread = make_thread(author=asker, title="Why is my loop slow?")
    first = client.get(_path(thread))
    assert first.headers["X-Visitor-Cache"] == "miss"
    make_post(thread=thread, author=answerer, body="Hoist the lookup out of the loop.")

    again = client.get(_path(thread))
    assert again.headers["X-Visitor-Cache"] == "hit"
    assert again.data == first.data and "Hoist the lookup" not in again.get_data(as_text=True)
    member = app.test_client()
    login_as(member, make_user())
    seen = member.get(_path(thread))
    assert "X-Visitor-Cache" not in seen.headers
    assert "Hoist the lookup" in seen.get_data(as_text=True)

    clock.now += SECONDS
    fresh = client.get(_path(thread))
    assert fresh.headers["X-Visitor-Cache"] == "miss"
    assert "Hoist the lookup" in fresh.get_data(as_text=True)


def test_every_page_a_visitor_reads_is_kept(client, clock):
    author = make_user(username="asker")
    thread = make_thread(author=author, tags=("pandas",))
    course = make_course()
    paths = ["/", "/threads", "/categories", f"/c/{thread.category.slug}", "/tags",
             "/tags/pandas", "/search?q=file", "/u/asker", "/leaderboards", "/courses",
             f"/courses/{course.slug}", _path(thread)]
    for path in paths:
        assert client.get(path).headers.get("X-Visitor-Cache") == "miss", path
        assert client.get(path).headers.get("X-Visitor-Cache") == "hit", path


def test_each_query_string_is_a_page_of_its_own(client, clock):
    author = make_user()
    make_thread(author=author, title="Threads about pandas", tags=("pandas",))
    make_thread(author=author, title="Threads about numpy", tags=("numpy",))
    assert "Threads about pandas" in client.get("/tags/pandas").get_data(as_text=True)
    numpy = client.get("/tags/numpy")
    assert numpy.headers["X-Visitor-Cache"] == "miss"
    assert "Threads about numpy" in numpy.get_data(as_text=True)
    assert "Threads about pandas" not in numpy.get_data(as_text=True)
    assert client.get("/search?q=pandas").headers["X-Visitor-Cache"] == "miss"
    assert client.get("/search?q=numpy").headers["X-Visitor-Cache"] == "miss"
    assert client.get("/search?q=numpy").headers["X-Visitor-Cache"] == "hit"


def test_a_kept_thread_page_still_counts_each_visitors_view(client, clock):
    thread = make_thread(author=make_user())
    client.get(_path(thread), headers={"User-Agent": "reader one"})
    hit = client.get(_path(thread), headers={"User-Agent": "reader two"})
    assert hit.headers["X-Visitor-Cache"] == "hit"
    db.session.expire_all()
    assert db.session.scalar(select(Thread.view_count).filter_by(id=thread.id)) == 2


def test_a_visitors_flash_is_shown_to_them_and_never_kept_for_others(app, client, clock):
    thread = make_thread(author=make_user())
    client.get(_path(thread))  # kept, without any message
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "You are signed out.")]
    mine = client.get(_path(thread))
    assert "You are signed out." in mine.get_data(as_text=True)
    assert "X-Visitor-Cache" not in mine.headers
    app.extensions[EXTENSION].clear()
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "You are signed out.")]
    client.get(_path(thread))
    other = app.test_client().get(_path(thread))
    assert "You are signed out." not in other.get_data(as_text=True)
    assert other.headers["X-Visitor-Cache"] == "miss"


def test_a_page_that_makes_a_form_token_or_a_flash_is_never_kept(app, client, clock):
    app.add_url_rule("/with-form", "with_form", cached_for_visitors(
        lambda: render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')))

    def flashing():
        flash("Welcome!", "info")
        return "<p>hello</p>"

    app.add_url_rule("/flashing", "flashing", cached_for_visitors(flashing))
    for path in ("/with-form", "/flashing"):
        first, second = client.get(path), app.test_client().get(path)
        assert first.status_code == second.status_code == 200
        assert "X-Visitor-Cache" not in first.headers and "X-Visitor-Cache" not in second.headers
    assert len(app.extensions[EXTENSION]) == 0


def test_errors_and_members_only_pages_are_never_kept(app, client, clock):
    assert client.get("/t/999999/missing").status_code == 404
    locked = make_category(name="Members lounge", member_only=True)
    assert client.get(f"/c/{locked.slug}").status_code == 403
    assert len(app.extensions[EXTENSION]) == 0


def test_the_cache_is_off_at_zero_seconds(app, client):
    app.extensions[EXTENSION].seconds = 0
    thread = make_thread(author=make_user())
    client.get(_path(thread))
    assert "X-Visitor-Cache" not in client.get(_path(thread)).headers


def test_the_least_recently_used_page_goes_first_and_old_pages_expire():
    clock = FakeClock()
    cache = PageCache(seconds=10, max_bytes=10, clock=clock)
    cache.put("/a", b"a" * 4, "text/html")
    cache.put("/b", b"b" * 4, "text/html")
    assert cache.get("/a").body == b"aaaa"  # /a is now the most recently used
    cache.put("/c", b"c" * 4, "text/html")  # 12 bytes: /b goes
    assert cache.get("/b") is None and cache.get("/a").body == b"aaaa" and len(cache) == 2
    cache.put("/c", b"C" * 6, "text/html")  # replaced, not counted twice: 10 bytes
    assert cache.get("/c").body == b"CCCCCC" and len(cache) == 2
    cache.put("/huge", b"h" * 11, "text/html")  # larger than the whole cache: not kept
    assert cache.get("/huge") is None and len(cache) == 2
    clock.now += 10
    assert cache.get("/a") is None and cache.get("/c") is None and len(cache) == 0
    cache.put("/d", b"d" * 10, "text/html")  # the expired pages' bytes were given back
    assert cache.get("/d").body == b"d" * 10
