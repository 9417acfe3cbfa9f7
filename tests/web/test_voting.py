"""Votes (toggle, flip, clear, JSON and plain forms) and accepted answers."""

import pytest

from app.extensions import db
from app.forum import voting
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import Post, Thread, Vote
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import login_as, make_user

JSON = {"Accept": "application/json"}

# Enough points to vote both ways (vote down unlocks at 125).
VOTER_POINTS = 200


def _score(post) -> int:
    return db.session.scalar(db.select(Post.score).where(Post.id == post.id))


def _thread_score(thread) -> int:
    return db.session.scalar(db.select(Thread.score).where(Thread.id == thread.id))


def _votes(post) -> list[int]:
    return db.session.scalars(db.select(Vote.value).where(Vote.post_id == post.id)).all()


def _events() -> list[tuple[str, dict]]:
    return [(e.type, e.data) for e in db.session.scalars(db.select(Event).order_by(Event.id))
            if e.type in ("vote", "unvote")]


@pytest.fixture
def answer(app):
    thread = make_thread(author=make_user(points=VOTER_POINTS))
    return make_post(thread=thread, author=make_user(points=VOTER_POINTS))


def test_up_then_up_again_undoes_the_vote(app, answer):
    voter = make_user(points=VOTER_POINTS)

    first = voting.cast_vote(voter, answer.id, "up")
    assert (first.score, first.my_vote, _votes(answer)) == (1, "up", [1])

    second = voting.cast_vote(voter, answer.id, "up")
    assert (second.score, second.my_vote, _votes(answer)) == (0, None, [])
    assert _events() == [("vote", {"value": 1, "previous": 0}), ("unvote", {"value": 1})]


def test_up_then_down_flips_by_two(app, answer):
    voter, other = make_user(points=VOTER_POINTS), make_user(points=VOTER_POINTS)
    voting.cast_vote(other, answer.id, "up")
    voting.cast_vote(voter, answer.id, "up")

    result = voting.cast_vote(voter, answer.id, "down")

    assert (result.score, result.my_vote) == (0, "down")
    assert sorted(_votes(answer)) == [-1, 1]
    assert _events()[-1] == ("vote", {"value": -1, "previous": 1})


def test_clear_takes_a_vote_back_and_clearing_nothing_changes_nothing(app, answer):
    voter = make_user(points=VOTER_POINTS)
    voting.cast_vote(voter, answer.id, "down")

    cleared = voting.cast_vote(voter, answer.id, "clear")
    again = voting.cast_vote(voter, answer.id, "clear")

    assert (cleared.score, cleared.my_vote, cleared.changed) == (0, None, True)
    assert (again.score, again.changed) == (0, False)
    assert [t for t, _ in _events()] == ["vote", "unvote"]


def test_votes_on_the_opening_post_move_the_thread_score_too(app):
    thread = make_thread(author=make_user(points=VOTER_POINTS))
    question = first_post(thread)

    voting.cast_vote(make_user(points=VOTER_POINTS), question.id, "up")
    voting.cast_vote(make_user(points=VOTER_POINTS), question.id, "up")
    voting.cast_vote(make_user(points=VOTER_POINTS), question.id, "down")

    assert _score(question) == _thread_score(thread) == 1


def test_the_score_always_equals_the_sum_of_votes(app, answer):
    voters = [make_user(points=VOTER_POINTS) for _ in range(4)]
    for voter, value in zip(voters, ["up", "down", "up", "up"], strict=True):
        voting.cast_vote(voter, answer.id, value)
    voting.cast_vote(voters[0], answer.id, "down")
    voting.cast_vote(voters[2], answer.id, "up")

    assert _score(answer) == sum(_votes(answer)) == -1


def test_a_racing_duplicate_insert_leaves_the_first_vote_standing(app, answer, monkeypatch):
    """Simulates the second of two simultaneous requests: it read 'no vote' before the first
    committed, so its insert hits the unique key. It must neither fail nor double-count."""
    voter = make_user(points=VOTER_POINTS)
    voting.cast_vote(voter, answer.id, "up")
    real_scalars = db.session.scalars
    calls = {"n": 0}

    def stale_first_read(statement, *args, **kwargs):
        result = real_scalars(statement, *args, **kwargs)
        if statement.column_descriptions[0]["entity"] is Vote and calls["n"] == 0:
            calls["n"] += 1
            result.all()  # consume, then pretend the vote row was not there yet
            return real_scalars(db.select(Vote).where(Vote.id == -1))
        return result

    monkeypatch.setattr(db.session, "scalars", stale_first_read)
    result = voting.cast_vote(voter, answer.id, "up")
    monkeypatch.undo()

    assert (result.changed, result.my_vote, result.score) == (False, "up", 1)
    assert _votes(answer) == [1] and _score(answer) == 1


def test_own_deleted_and_unknown_posts_cannot_be_voted(app, answer):
    with pytest.raises(PermissionDenied, match="your own post"):
        voting.cast_vote(answer.author, answer.id, "up")
    with pytest.raises(ValidationError):
        voting.cast_vote(make_user(points=VOTER_POINTS), answer.id, "sideways")
    answer.deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict, match="deleted"):
        voting.cast_vote(make_user(points=VOTER_POINTS), answer.id, "up")
    assert _votes(answer) == []


# --- HTTP: plain forms and JSON --------------------------------------------------


def test_a_plain_form_vote_redirects_to_the_post_with_a_flash(client, answer):
    login_as(client, make_user(points=VOTER_POINTS))

    response = client.post(f"/posts/{answer.id}/vote", data={"value": "up"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#post-{answer.id}")
    assert _score(answer) == 1
    page = client.get(response.headers["Location"])
    assert b"Voted up." in page.data
    assert b'<span class="vote-score" aria-live="polite" title="Score">1</span>' in page.data
    assert b'data-vote="up" aria-pressed="true"' in page.data


def test_a_json_vote_answers_the_new_score_and_my_vote(client, answer):
    login_as(client, make_user(points=VOTER_POINTS))

    up = client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=JSON)
    down = client.post(f"/posts/{answer.id}/vote", data={"value": "down"}, headers=JSON)
    undo = client.post(f"/posts/{answer.id}/vote", data={"value": "down"}, headers=JSON)

    assert (up.status_code, up.json) == (200, {"score": 1, "my_vote": "up"})
    assert down.json == {"score": -1, "my_vote": "down"}
    assert undo.json == {"score": 0, "my_vote": None}


def test_voting_on_your_own_post_is_403_with_a_message(client, answer):
    login_as(client, answer.author)

    page = client.post(f"/posts/{answer.id}/vote", data={"value": "up"})
    api = client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=JSON)

    assert page.status_code == api.status_code == 403
    assert b"You cannot vote on your own post." in page.data
    assert api.json["error"] == "You cannot vote on your own post."
    assert _score(answer) == 0


def test_voting_on_a_deleted_post_is_a_409_with_a_message(client, answer):
    answer.deleted_at = utcnow()
    db.session.commit()
    login_as(client, make_user(points=VOTER_POINTS))

    api = client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=JSON)

    assert api.status_code == 409
    assert "deleted" in api.json["error"]


def test_a_bad_vote_value_is_a_422(client, answer):
    login_as(client, make_user(points=VOTER_POINTS))
    api = client.post(f"/posts/{answer.id}/vote", data={"value": "sideways"}, headers=JSON)
    assert api.status_code == 422 and api.json["error"] == "Vote up, down or clear."


def test_anonymous_votes_get_a_login_redirect_or_a_401(client, answer):
    page = client.post(f"/posts/{answer.id}/vote", data={"value": "up"})
    api = client.post(f"/posts/{answer.id}/vote", data={"value": "up"}, headers=JSON)

    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert api.status_code == 401 and api.json["error"]
    assert _votes(answer) == []


def test_voting_on_a_missing_post_is_404(client):
    login_as(client, make_user(points=VOTER_POINTS))
    assert client.post("/posts/999/vote", data={"value": "up"}, headers=JSON).status_code == 404


# --- accepting answers -----------------------------------------------------------


def _accepted(thread):
    return db.session.scalar(db.select(Thread.accepted_post_id).where(Thread.id == thread.id))


def test_the_asker_accepts_switches_and_unaccepts(client):
    asker = make_user(points=VOTER_POINTS)
    thread = make_thread(author=asker)
    one, two = make_post(thread=thread, author=make_user(points=VOTER_POINTS)), make_post(thread=thread, author=make_user(points=VOTER_POINTS))
    login_as(client, asker)

    first = client.post(f"/posts/{one.id}/accept")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"#post-{one.id}")
    assert _accepted(thread) == one.id
    assert b"Answer accepted." in client.get(first.headers["Location"]).data

    client.post(f"/posts/{two.id}/accept")
    assert _accepted(thread) == two.id

    client.post(f"/posts/{two.id}/accept")
    assert _accepted(thread) is None

    types = [e.type for e in db.session.scalars(db.select(Event).order_by(Event.id))
             if e.type in ("accept", "unaccept")]
    assert types == ["accept", "accept", "unaccept"]


def test_only_the_asker_may_accept_and_only_answers(client):
    asker = make_user(points=VOTER_POINTS)
    thread = make_thread(author=asker)
    answer = make_post(thread=thread, author=make_user(points=VOTER_POINTS))

    login_as(client, answer.author)
    assert client.post(f"/posts/{answer.id}/accept").status_code == 403
    login_as(client, asker)
    assert client.post(f"/posts/{first_post(thread).id}/accept").status_code == 409
    assert _accepted(thread) is None


def test_answers_of_discussions_cannot_be_accepted(app):
    starter = make_user(points=VOTER_POINTS)
    thread = make_thread(author=starter, kind="discussion", tags=())
    reply = make_post(thread=thread, author=make_user(points=VOTER_POINTS))
    with pytest.raises(Conflict):
        voting.accept_answer(starter, reply.id)


def test_the_accept_control_shows_only_for_the_asker(client):
    asker = make_user(points=VOTER_POINTS)
    thread = make_thread(author=asker)
    answer = make_post(thread=thread, author=make_user(points=VOTER_POINTS))
    control = f'action="/posts/{answer.id}/accept"'.encode()

    login_as(client, make_user(points=VOTER_POINTS))
    assert control not in client.get(f"/t/{thread.id}/{thread.slug}").data
    login_as(client, asker)
    assert control in client.get(f"/t/{thread.id}/{thread.slug}").data
