"""Rate limits on posting and voting (on here, as in production; off in other tests)."""

import pytest

from app.extensions import db
from app.forum.models import Thread
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import login_as, make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_POSTING": "2 per minute",
            "RATELIMIT_VOTING": "3 per minute", "RATELIMIT_POSTING_TRUSTED": "4 per minute"}


def test_posting_too_often_gets_a_429_that_keeps_the_text(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())
    bodies = [f"Answer number {i}, long enough to be accepted." for i in range(3)]

    statuses = [client.post(f"/t/{thread.id}/reply", data={"body": b}).status_code for b in bodies]
    blocked = client.post(f"/t/{thread.id}/reply", data={"body": bodies[2]})

    assert statuses == [302, 302, 429]
    assert b"Slow down" in blocked.data and bodies[2].encode() in blocked.data
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).reply_count == 2


def test_reading_is_not_limited(client):
    login_as(client, make_user())
    assert {client.get("/ask").status_code for _ in range(5)} == {200}


def test_voting_too_often_gets_a_json_429(client):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    login_as(client, make_user(points=15))
    headers = {"Accept": "application/json"}

    statuses = [client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=headers).status_code
                for _ in range(4)]
    blocked = client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=headers)

    assert statuses == [200, 200, 200, 429]
    assert blocked.status_code == 429 and blocked.json["error"]


def test_reduced_limits_unlock_at_1000_points(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user(points=1000))
    bodies = [f"A trusted member's answer number {i}." for i in range(5)]

    statuses = [client.post(f"/t/{thread.id}/reply", data={"body": b}).status_code for b in bodies]

    assert statuses == [302, 302, 302, 302, 429]


def test_limits_are_per_person(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())
    for i in range(2):
        client.post(f"/t/{thread.id}/reply", data={"body": f"First person's answer number {i}."})

    login_as(client, make_user())
    response = client.post(f"/t/{thread.id}/reply", data={"body": "Second person's first answer."})

    assert response.status_code == 302
