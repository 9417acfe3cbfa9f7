"""Limits on brand-new accounts (level 1, first day): 3 threads and 10 posts, and the
existing link rule; refusals say why and keep what was typed."""

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum import posting
from app.forum.errors import ValidationError
from app.forum.models import Post
from app.forum.validation import first_day_error
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import login_as, make_user


def _thread(author, category, n: int):
    return posting.create_thread(author, kind="discussion", title=f"Discussion number {n} here",
                                 body=f"Body of discussion number {n}, long enough.",
                                 category_id=category.id)


def _reply(author, thread, n: int):
    return posting.add_reply(author, thread.id, body=f"Reply number {n}, long enough to count.")


@pytest.fixture
def category(app):
    return make_category()


def test_the_rule_counts_posts_first_then_threads():
    limits = {"max_threads": 3, "max_posts": 10}
    assert first_day_error(starting_thread=True, threads=2, posts=9, **limits) is None
    assert "3 threads" in first_day_error(starting_thread=True, threads=3, posts=3, **limits)
    assert first_day_error(starting_thread=False, threads=3, posts=3, **limits) is None
    assert "10 posts" in first_day_error(starting_thread=False, threads=0, posts=10, **limits)


def test_a_new_account_starts_three_threads_in_its_first_day(client, category):
    newcomer = make_user()
    for n in range(3):
        _thread(newcomer, category, n)
    login_as(client, newcomer)
    title, body = "A fourth discussion on day one", "Still typing things that should be kept."
    response = client.post("/ask", data={"kind": "discussion", "title": title, "body": body,
                                         "category": category.id})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "New accounts can start 3 threads in their first day" in page
    assert title in page and body in page


def test_a_new_account_writes_ten_posts_in_its_first_day_threads_included(client, category):
    newcomer = make_user()
    _thread(newcomer, category, 0)
    thread = make_thread(author=make_user())
    for n in range(9):
        _reply(newcomer, thread, n)
    login_as(client, newcomer)
    body = "An eleventh post that the page should keep."
    response = client.post(f"/t/{thread.id}/reply", data={"body": body})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "New accounts can write 10 posts in their first day" in page and body in page
    assert db.session.query(Post).filter_by(author_id=newcomer.id).count() == 10


def test_deleting_does_not_buy_more_posts(category):
    newcomer = make_user()
    threads = [_thread(newcomer, category, n).thread for n in range(3)]
    posting.delete_post(newcomer, threads[0].posts[0].id)
    with pytest.raises(ValidationError, match="3 threads"):
        _thread(newcomer, category, 3)


@pytest.mark.parametrize("who", ["learner", "old_account", "staff"])
def test_the_limits_lift_with_a_level_a_day_or_a_role(category, who):
    author = {
        "learner": lambda: make_user(points=15),
        "old_account": lambda: make_user(),
        "staff": lambda: make_user(role=Role.MODERATOR),
    }[who]()
    if who == "old_account":
        author.created_at = utcnow() - timedelta(days=1, minutes=1)
        db.session.commit()
    for n in range(4):
        _thread(author, category, n)
    thread = make_thread(author=make_user())
    for n in range(7):
        _reply(author, thread, n)  # the eleventh post


def test_a_new_account_still_gets_the_link_limit_with_its_text_kept(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())
    body = "See https://a.example, https://b.example and https://c.example for more."
    response = client.post(f"/t/{thread.id}/reply", data={"body": body})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "New members can include at most 2 links (this has 3)" in page
    assert "https://c.example" in page
