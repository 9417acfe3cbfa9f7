"""/tags and /tags/<name>: popularity, the name filter, paging, and the tag's threads."""

import re

from app.accounts.models import Role
from app.extensions import db
from app.forum.models import Tag
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

TAG_CARD = re.compile(r'<a class="tag" href="/tags/[^"]*">([^<]*)</a>\s*<span class="muted small">(\d+) thread')


def tag_counts(response) -> list[tuple[str, int]]:
    return [(name, int(n)) for name, n in TAG_CARD.findall(response.get_data(as_text=True))]


def test_tags_are_listed_by_popularity_with_counts(client):
    user = make_user()
    for tags in [("python", "io"), ("python", "flask"), ("python", "flask"), ("sql",)]:
        make_thread(author=user, tags=tags)

    assert tag_counts(client.get("/tags")) == [("python", 3), ("flask", 2), ("io", 1), ("sql", 1)]


def test_tag_counts_skip_deleted_and_hidden_threads(client):
    user = make_user()
    secret = make_category(name="Secret", member_only=True)
    make_thread(author=user, tags=("python",))
    make_thread(author=user, category=secret, tags=("python",))
    gone = make_thread(author=user, tags=("python",))
    gone.deleted_at = utcnow()
    db.session.commit()

    assert tag_counts(client.get("/tags")) == [("python", 1)]
    login_as(client, make_user(role=Role.MODERATOR))
    assert tag_counts(client.get("/tags")) == [("python", 2)]


def test_name_filter_matches_part_of_the_name_literally(client):
    user = make_user()
    make_thread(author=user, tags=("python", "cpython", "rust", "c_lang"))

    assert {n for n, _ in tag_counts(client.get("/tags?q=PYTH"))} == {"python", "cpython"}
    assert [n for n, _ in tag_counts(client.get("/tags?q=_"))] == ["c_lang"]
    response = client.get("/tags?q=%25")
    assert tag_counts(response) == []
    assert "No tags match “%”" in response.get_data(as_text=True)
    assert 'value="PYTH"' in client.get("/tags?q=PYTH").get_data(as_text=True)


def test_tags_paginate_and_count_in_a_fixed_number_of_queries(client):
    user = make_user()
    make_thread(author=user, tags=[f"tag{n:03d}" for n in range(65)])

    with count_queries() as log:
        first = client.get("/tags")
    assert len(tag_counts(first)) == 60
    assert log.count <= 3
    assert 'href="/tags?page=2"' in first.get_data(as_text=True)
    assert len(tag_counts(client.get("/tags?page=2"))) == 5


def test_empty_tag_list_says_what_to_do(client):
    html = client.get("/tags").get_data(as_text=True)
    assert "No tags yet" in html and 'href="/ask"' in html


def test_tag_page_lists_its_threads_with_sorts(client):
    user = make_user()
    make_thread(author=user, title="About flask", tags=("flask",))
    make_thread(author=user, title="About django", tags=("django",))
    scored = make_thread(author=user, title="Flask and scores", tags=("flask", "python"))
    scored.score = 10
    db.session.commit()

    html = client.get("/tags/flask?sort=top").get_data(as_text=True)
    assert "Threads tagged" in html and "2 threads" in html
    assert html.index("Flask and scores") < html.index("About flask")
    assert "About django" not in html


def test_unknown_tag_is_404(client):
    assert client.get("/tags/nope").status_code == 404


def test_known_tag_without_threads_has_an_empty_state(client):
    db.session.add(Tag(name="lonely"))
    db.session.commit()
    html = client.get("/tags/lonely").get_data(as_text=True)
    assert "No threads yet" in html
