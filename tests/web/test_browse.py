"""Home page and /threads: what is listed, in which order, to whom, and at what cost."""

import re
from datetime import timedelta

import pytest
from flask import url_for

from app.accounts.models import Role
from app.extensions import db
from app.forum.listing import ThreadFilters, thread_list_query
from app.forum.models import Thread, ThreadKind
from app.forum.permissions import can_view
from app.timeutil import utcnow
from app.web.kept import forget
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

TITLE_LINK = re.compile(r'<h3 class="thread-title">.*?<a href="[^"]*">([^<]*)</a>', re.S)


def titles(response) -> list[str]:
    return TITLE_LINK.findall(response.get_data(as_text=True))


def days_ago(n: float):
    return utcnow() - timedelta(days=n)


def test_anonymous_home_has_intro_card_sidebar_and_empty_state(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Learn by building, together" in html
    assert 'href="/register"' in html
    assert "No threads yet" in html
    assert "No categories yet." in html
    assert "Tags appear here once threads use them." in html


def test_signed_in_home_has_no_intro_card_and_offers_to_ask(client):
    user = make_user()
    login_as(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "Learn by building, together" not in html
    assert 'href="/ask"' in html


def test_thread_row_shows_stats_title_link_category_tags_author_and_time(client):
    author, answerer = make_user(username="ada"), make_user()
    category = make_category(name="Python help")
    thread = make_thread(author=author, category=category, title="Read a file lazily",
                         tags=("python", "io"))
    make_post(thread=thread, author=answerer)
    make_post(thread=thread, author=answerer)
    thread.score, thread.view_count = 3, 17
    db.session.commit()

    href = url_for("forum.thread", thread_id=thread.id, slug=thread.slug, _external=False)
    html = client.get("/").get_data(as_text=True)
    assert f'href="{href}">Read a file lazily</a>' in html
    assert "<strong>3</strong> votes" in html
    assert 'class="stat-replies answered"' in html
    assert "<strong>2</strong> answers" in html
    assert "17 views" in html
    assert f'class="category-badge cat-{category.id}" href="/c/python-help"' in html
    assert 'href="/tags/io">io</a>' in html and 'href="/tags/python">python</a>' in html
    assert 'href="/u/ada"' in html and 'class="avatar"' in html
    assert "<time datetime=" in html and "just now" in html
    assert "kind-pill" not in html


def test_accepted_question_is_solid_and_discussion_gets_a_pill(client):
    user = make_user()
    question = make_thread(author=user, title="Accepted one")
    answer = make_post(thread=question, author=make_user())
    question.accepted_post_id = answer.id
    make_thread(author=user, kind=ThreadKind.DISCUSSION, title="Open talk")
    db.session.commit()

    html = client.get("/").get_data(as_text=True)
    assert 'class="stat-replies accepted"' in html
    assert 'title="Has an accepted answer"' in html
    assert '<span class="kind-pill">Discussion</span>' in html
    assert "<strong>0</strong> replies" in html


def test_deleted_threads_are_never_listed(client):
    user = make_user()
    category = make_category(name="Misc")
    make_thread(author=user, category=category, title="Still here", tags=("keep",))
    gone = make_thread(author=user, category=category, title="Gone thread", tags=("keep",))
    gone.deleted_at = utcnow()
    db.session.commit()

    for url in ("/", "/threads", "/threads?sort=top", "/threads?sort=unanswered",
                "/c/misc", "/tags/keep"):
        assert titles(client.get(url)) == ["Still here"], url


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_member_only_threads_follow_can_view_for_every_viewer(client, role):
    author = make_user()
    public, private = make_category(name="Open"), make_category(name="Inner", member_only=True)
    make_thread(author=author, category=public, title="Open thread")
    make_thread(author=author, category=private, title="Inner thread")
    viewer = None
    if role is not None:
        viewer = make_user(role=role)
        login_as(client, viewer)

    expected = {t.title for t in db.session.scalars(db.select(Thread)) if can_view(viewer, t.category)}
    assert set(titles(client.get("/"))) == expected
    assert set(titles(client.get("/threads"))) == expected
    assert ("Inner thread" in expected) == (role in (Role.MODERATOR, Role.ADMIN))


def test_newest_sorts_by_creation_and_active_by_last_activity(client):
    user = make_user()
    old = make_thread(author=user, title="Old but busy", created_at=days_ago(5))
    make_thread(author=user, title="Middle", created_at=days_ago(3))
    make_thread(author=user, title="Newest", created_at=days_ago(1))
    make_post(thread=old, author=make_user(), created_at=utcnow())

    assert titles(client.get("/threads?sort=newest")) == ["Newest", "Middle", "Old but busy"]
    assert titles(client.get("/threads?sort=active")) == ["Old but busy", "Newest", "Middle"]
    assert titles(client.get("/")) == ["Old but busy", "Newest", "Middle"]


def test_top_sorts_by_score_within_the_period(client):
    user = make_user()
    for title, score, age in [("Ancient hit", 50, 500), ("Monthly", 9, 20), ("Weekly", 4, 2),
                              ("Weekly low", 1, 1)]:
        thread = make_thread(author=user, title=title, created_at=days_ago(age))
        thread.score = score
    db.session.commit()

    assert titles(client.get("/threads?sort=top&period=week")) == ["Weekly", "Weekly low"]
    assert titles(client.get("/threads?sort=top&period=month")) == ["Monthly", "Weekly", "Weekly low"]
    assert titles(client.get("/threads?sort=top&period=all"))[0] == "Ancient hit"
    assert titles(client.get("/threads?sort=top&period=year")) == ["Monthly", "Weekly", "Weekly low"]


def test_unanswered_lists_questions_without_replies_or_accepted_answer(client):
    user = make_user()
    make_thread(author=user, title="Lonely question", created_at=days_ago(2))
    make_thread(author=user, title="Newer lonely", created_at=days_ago(1))
    answered = make_thread(author=user, title="Answered question")
    make_post(thread=answered, author=make_user())
    make_thread(author=user, title="Quiet discussion", kind=ThreadKind.DISCUSSION)

    assert titles(client.get("/threads?sort=unanswered")) == ["Newer lonely", "Lonely question"]


def test_unanswered_empty_state(client):
    html = client.get("/?sort=unanswered").get_data(as_text=True)
    assert "Every question has an answer" in html


def test_kind_filter_and_tabs_keep_the_kind(client):
    user = make_user()
    make_thread(author=user, title="A question")
    make_thread(author=user, title="A discussion", kind=ThreadKind.DISCUSSION)

    response = client.get("/threads?kind=discussion")
    html = response.get_data(as_text=True)
    assert titles(response) == ["A discussion"]
    assert "<h1>Discussions</h1>" in html
    assert 'href="/threads?sort=top&amp;kind=discussion"' in html
    assert titles(client.get("/threads?kind=question")) == ["A question"]
    assert set(titles(client.get("/threads"))) == {"A question", "A discussion"}


def test_selected_tab_and_period_are_marked(client):
    html = client.get("/threads?sort=top&period=month").get_data(as_text=True)
    assert 'href="/threads?sort=top" aria-current="page">Top</a>' in html
    assert 'href="/threads?sort=top&amp;period=month" aria-current="page">Month</a>' in html


@pytest.mark.parametrize("query", ["sort=bogus", "period=decade&sort=top", "kind=poll",
                                   "page=abc", "page=-3", "page=0"])
def test_malformed_arguments_fall_back_to_defaults(client, query):
    make_thread(author=make_user(), title="Only thread")
    response = client.get(f"/threads?{query}")
    assert response.status_code == 200
    assert titles(response) == ["Only thread"]


def test_lists_paginate(app, client):
    user = make_user()
    category = make_category(name="Busy")
    per_page = app.config["THREADS_PER_PAGE"]
    for n in range(per_page + 5):
        make_thread(author=user, category=category, title=f"Thread {n:02d}",
                    created_at=days_ago(100 - n))

    first = client.get("/threads?sort=newest")
    assert len(titles(first)) == per_page
    assert titles(first)[0] == f"Thread {per_page + 4:02d}"
    assert 'href="/threads?sort=newest&amp;page=2"' in first.get_data(as_text=True)
    second = client.get("/threads?sort=newest&page=2")
    assert titles(second) == [f"Thread {n:02d}" for n in range(4, -1, -1)]
    assert 'aria-current="page">2</span>' in second.get_data(as_text=True)
    beyond = client.get("/threads?page=9")
    assert titles(beyond) == [] and "No more threads" in beyond.get_data(as_text=True)


def test_long_lists_count_up_to_the_cap(app, client):
    app.config.update(LIST_COUNT_CAP=4, THREADS_PER_PAGE=3)
    user = make_user()
    for n in range(8):
        make_thread(author=user, title=f"Thread {n:02d}", created_at=days_ago(100 - n))

    first = client.get("/threads?sort=newest").get_data(as_text=True)
    assert "4+ threads" in first
    assert 'href="/threads?sort=newest&amp;page=2"' in first
    third = client.get("/threads?sort=newest&page=3")  # beyond the counted four: still served
    assert titles(third) == ["Thread 01", "Thread 00"]
    assert 'rel="next"' not in third.get_data(as_text=True)

    app.config["LIST_COUNT_CAP"] = 10_000
    assert "8 threads" in client.get("/threads").get_data(as_text=True)


def test_sidebar_lists_categories_in_order_and_popular_visible_tags(client):
    author = make_user()
    second = make_category(name="Second", position=2)
    first = make_category(name="First", position=1)
    secret = make_category(name="Secret", member_only=True, position=3)
    make_thread(author=author, category=first, tags=("python", "io"))
    make_thread(author=author, category=second, tags=("python",))
    make_thread(author=author, category=secret, tags=("classified",))

    html = client.get("/").get_data(as_text=True)
    sidebar = html.split('class="sidebar"')[1]
    assert sidebar.index(">First<") < sidebar.index(">Second<") < sidebar.index(">Secret ")
    assert 'aria-label="Members only"' in sidebar
    assert 'href="/tags/python">python</a> <span class="muted small">× 2</span>' in sidebar
    assert "classified" not in sidebar


def test_popular_tags_are_kept_for_a_while_per_audience(client, app):
    app.config["POPULAR_TAGS_SECONDS"] = 60
    author = make_user()
    make_thread(author=author, tags=("python",))
    secret = make_category(name="Secret", member_only=True)

    def sidebar_tags(browser=client):
        return browser.get("/").get_data(as_text=True).split('class="sidebar"')[1]

    assert "× 1</span>" in sidebar_tags()
    make_thread(author=author, tags=("python",))
    make_thread(author=author, category=secret, tags=("classified",))
    with count_queries() as kept:
        assert "× 1</span>" in sidebar_tags()  # a minute behind, by design
    assert not any("GROUP BY tag.id" in statement for statement in kept.statements)

    login_as(client, make_user(role=Role.ADMIN))  # members and staff count on their own
    assert "classified" in sidebar_tags()

    forget("popular_tags")
    assert "× 2</span>" in sidebar_tags(app.test_client())


def test_list_query_orders_ties_by_id_for_stable_paging(app):
    user = make_user()
    when = days_ago(1)
    ids = [make_thread(author=user, created_at=when).id for _ in range(3)]
    stmt = thread_list_query(None, ThreadFilters(sort="newest"))
    assert [t.id for t in db.session.scalars(stmt)] == sorted(ids, reverse=True)


def _home_queries(client) -> int:
    """Queries of one home request, starting cold like a real request would: the test's
    app context (and so its session) outlives the request otherwise."""
    db.session.expunge_all()
    with count_queries() as log:
        response = client.get("/")
    assert response.status_code == 200
    return log.count


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_runs_a_fixed_number_of_queries(client, signed_in):
    viewer = make_user()
    if signed_in:
        login_as(client, viewer)
    categories = [make_category(name=f"Cat {n}") for n in range(3)]

    def add_threads(count: int, offset: int) -> None:
        for n in range(count):
            author = make_user()
            make_thread(author=author, category=categories[n % 3],
                        tags=(f"tag{n + offset}", "common"))

    add_threads(5, 0)
    few = _home_queries(client)
    add_threads(25, 5)
    many = _home_queries(client)

    assert len(titles(client.get("/"))) == 30
    assert few == many
    # Signed in: one asks whether the viewer is a member, and four read the stored picks
    # ("For you" falls back to the popular list, in the viewer's topics; questions to answer).
    assert many <= (15 if signed_in else 8), many
