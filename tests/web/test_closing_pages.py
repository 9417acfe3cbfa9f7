"""Closing through the test client: the thread page's notice and forms, the vote views."""

import pytest

from app.extensions import db
from app.forum.models import Post
from app.gamification import closing
from tests.fixtures.forum import make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _url(thread) -> str:
    return f"/t/{thread.id}/{thread.slug}"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _voter(**kwargs):
    return make_user(points=3000, **kwargs)


@pytest.fixture
def question(app):
    return make_thread(author=make_user(), title="How do I parse dates in Python?")


def _close(thread, reason="off_topic", *, voters=None, duplicate=None):
    for voter in voters or [make_user(role="moderator")]:
        closing.cast_close_vote(voter, thread.id, reason=reason, duplicate=duplicate)


def test_a_closed_question_says_why_by_whom_and_hides_the_answer_form(client, question):
    _close(question, voters=[_voter(username=n) for n in ("ada", "bob", "cy")])
    login_as(client, make_user())

    page = _text(client.get(_url(question)))

    assert "Closed as off-topic" in page
    assert 'href="/u/ada"' in page and 'href="/u/cy"' in page
    assert "It takes no new answers" in page
    assert f'action="/t/{question.id}/reply' not in page
    assert "This question is closed, so it takes no new answers." in page
    assert "Vote to reopen" not in page


def test_a_duplicate_links_its_original(client, question):
    original = make_thread(author=make_user(), title="Parsing ISO dates with datetime")
    _close(question, "duplicate", duplicate=f"/t/{original.id}")

    page = _text(client.get(_url(question)))

    assert "Closed as a duplicate" in page
    assert f'<a href="/t/{original.id}/{original.slug}">Parsing ISO dates with datetime</a>' in page


def test_privileged_viewers_get_the_close_form_and_others_do_not(client, question):
    assert "Vote to close" not in _text(client.get(_url(question)))
    login_as(client, make_user(points=2999))
    assert "Vote to close" not in _text(client.get(_url(question)))

    closing.cast_close_vote(_voter(), question.id, reason="unclear")
    login_as(client, _voter())
    page = _text(client.get(_url(question)))
    assert "Vote to close · 1 of 3 votes" in page
    assert f'action="/t/{question.id}/votes/close"' in page
    assert page.count('type="radio" name="reason"') == 4


def test_no_close_form_on_discussions(client):
    discussion = make_thread(author=make_user(), kind="discussion")
    login_as(client, make_user(role="moderator"))
    assert "Vote to close" not in _text(client.get(_url(discussion)))


def test_voting_to_close_through_the_form(client, question):
    voter = _voter()
    login_as(client, voter)

    response = client.post(f"/t/{question.id}/votes/close", data={"reason": "needs_focus"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_url(question)}#closing")
    page = _text(client.get(response.headers["Location"]))
    assert "Your vote to close is in (1 of 3)." in page
    assert "You voted to close this question as needing more focus · 1 of 3 votes." in page


def test_a_staff_vote_closes_through_the_form(client, question):
    login_as(client, make_user(role="moderator"))
    response = client.post(f"/t/{question.id}/votes/close", data={"reason": "unclear"}, follow_redirects=True)
    page = _text(response)
    assert "The question is closed" in page and "Closed as unclear" in page
    assert "Vote to reopen" in page and "0 of 3 votes" in page


def test_a_bad_duplicate_link_re_renders_with_the_input(client, question):
    login_as(client, _voter())

    response = client.post(f"/t/{question.id}/votes/close",
                           data={"reason": "duplicate", "duplicate": "the one from yesterday"})

    assert response.status_code == 422
    page = _text(response)
    assert "Paste the link (or the number)" in page
    assert 'value="the one from yesterday"' in page
    assert '<input checked id="reason-0" name="reason" type="radio" value="duplicate">' in page


def test_a_missing_reason_re_renders_the_form(client, question):
    login_as(client, _voter())
    response = client.post(f"/t/{question.id}/votes/close", data={})
    assert response.status_code == 422
    assert "Choose why this question should be closed." in _text(response)


@pytest.mark.parametrize("path", ["votes/close", "votes/reopen"])
def test_the_vote_views_need_the_privilege(client, question, path):
    assert client.post(f"/t/{question.id}/{path}", data={"reason": "unclear"}).status_code == 302
    login_as(client, make_user(points=2999))
    response = client.post(f"/t/{question.id}/{path}", data={"reason": "unclear"})
    assert response.status_code == 403
    assert "Close and reopen unlocks at 3,000 points" in _text(response)


def test_the_close_page(client, question):
    login_as(client, make_user(points=10))
    assert client.get(f"/t/{question.id}/votes/close").status_code == 403
    login_as(client, _voter())
    page = _text(client.get(f"/t/{question.id}/votes/close"))
    assert "How do I parse dates in Python?" in page and 'name="duplicate"' in page


def test_voting_twice_is_a_conflict(client, question):
    voter = _voter()
    closing.cast_close_vote(voter, question.id, reason="unclear")
    login_as(client, voter)
    response = client.post(f"/t/{question.id}/votes/close", data={"reason": "unclear"})
    assert response.status_code == 409
    assert "You already voted to close this question." in _text(response)


def test_reopening_through_the_button(client, question):
    _close(question)
    login_as(client, _voter())

    response = client.post(f"/t/{question.id}/votes/reopen", follow_redirects=True)
    assert "Your vote to reopen is in (1 of 3)." in _text(response)
    assert "You voted to reopen it · 1 of 3 votes." in _text(response)

    login_as(client, make_user(role="admin"))
    response = client.post(f"/t/{question.id}/votes/reopen", follow_redirects=True)
    page = _text(response)
    assert "The question is open again." in page
    assert "Closed as" not in page
    assert f'action="/t/{question.id}/reply' in page


def test_answering_a_closed_question_is_refused_with_a_message(client, question):
    _close(question)
    login_as(client, make_user())

    response = client.post(f"/t/{question.id}/reply", data={"body": "A late answer with enough words in it."})

    assert response.status_code == 409
    page = _text(response)
    assert "This question is closed, so it takes no new answers." in page
    assert "A late answer with enough words in it." in page  # the typed text is not lost
    assert db.session.scalar(db.select(db.func.count()).select_from(Post).where(~Post.is_first)) == 0


def test_a_closed_page_runs_a_fixed_number_of_queries(client):
    by_staff = make_thread(author=make_user())
    by_votes = make_thread(author=make_user())
    _close(by_staff)
    _close(by_votes, voters=[_voter() for _ in range(3)])
    urls = _url(by_staff), _url(by_votes)
    db.session.expunge_all()
    with count_queries() as one:
        assert client.get(urls[0]).status_code == 200
    db.session.expunge_all()
    with count_queries() as three:
        assert client.get(urls[1]).status_code == 200
    assert one.count == three.count
