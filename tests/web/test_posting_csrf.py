"""With CSRF protection on (as in production): posts without a token change nothing."""

import re

import pytest

from app.extensions import db
from app.forum.models import Thread, Vote
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.users import login_as, make_user

BODY = "An answer with enough words to pass the length check."

# Enough points to create tags (300) and to vote.
TAG_CREATOR_POINTS = 300


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _token(client, url: str) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', client.get(url).data).group(1).decode()


def test_ask_without_a_token_is_refused(client):
    login_as(client, make_user())
    category = make_category()

    response = client.post("/ask", data={"kind": "question", "title": "A question without a token",
                                         "body": BODY, "category": category.id, "tags": "python"})

    assert response.status_code == 400
    assert b"Your form expired" in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 0


def test_ask_with_the_form_token_works(client):
    login_as(client, make_user(points=TAG_CREATOR_POINTS))
    category = make_category()
    token = _token(client, "/ask")

    response = client.post("/ask", data={"csrf_token": token, "kind": "question",
                                         "title": "A question with its token", "body": BODY,
                                         "category": category.id, "tags": "python"})

    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 1


def test_answer_without_a_token_is_refused(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())

    response = client.post(f"/t/{thread.id}/reply", data={"body": BODY})

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_vote_without_a_token_is_refused_also_as_json(client):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    login_as(client, make_user())

    page = client.post(f"/posts/{answer.id}/vote", data={"value": "up"})
    api = client.post(f"/posts/{answer.id}/vote", data={"value": "up"},
                      headers={"Accept": "application/json"})

    assert page.status_code == api.status_code == 400
    assert api.json["error"]
    assert db.session.scalars(db.select(Vote)).all() == []


def test_a_json_vote_with_the_csrf_header_works(client):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    login_as(client, make_user(points=TAG_CREATOR_POINTS))
    token = _token(client, f"/t/{thread.id}/{thread.slug}")

    response = client.post(f"/posts/{answer.id}/vote", data={"value": "up"},
                           headers={"Accept": "application/json", "X-CSRFToken": token})

    assert response.status_code == 200
    assert response.json == {"score": 1, "my_vote": "up"}
