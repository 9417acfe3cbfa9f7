"""Silence is read-only mode everywhere: every way a member writes what others see, or
takes part, refuses a silenced member with the "silenced until …" message, writes
nothing, and works again once the silence has run out. The pages stop offering those
buttons meanwhile. Reading, private progress and the profile stay open."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.competitions.challenges import submit_answer, unlock_hint
from app.competitions.joining import join
from app.competitions.models import Attempt, Entrant, HintUnlock, Submission
from app.competitions.organising import set_published
from app.competitions.predictions import select_final, submit_predictions
from app.courses.models import CourseReview
from app.extensions import db
from app.forum import voting
from app.forum.errors import PermissionDenied
from app.forum.models import Thread
from app.gamification import bounties, closing
from app.gamification.models import Bounty, CloseVote
from app.timeutil import utcnow
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge,
    make_challenge_set,
    make_hint,
    make_prediction_contest,
)
from tests.fixtures.courses import make_course
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import login_as, make_user

SILENCED = "silenced until"
GOOD_FILE = csv_bytes((f"r{i:03d}", "a") for i in range(40))


def _silence(user) -> None:
    user.silenced_until = utcnow() + timedelta(days=3)
    db.session.commit()


def _run_out(user) -> None:
    """Time passing, without waiting days: the stored end moves into the past."""
    user.silenced_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _refused(call) -> None:
    with pytest.raises(PermissionDenied, match=SILENCED):
        call()
    db.session.rollback()


def _old_question(author):
    return make_thread(author=author, created_at=utcnow() - timedelta(days=3))


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- the services refuse, write nothing, and work again afterwards ---------------------


def test_accepting_an_answer(app):
    asker = make_user()
    question = _old_question(asker)
    answer = make_post(thread=question, author=make_user())
    _silence(asker)
    _refused(lambda: voting.accept_answer(asker, answer.id))
    assert db.session.get(Thread, question.id).accepted_post_id is None

    _run_out(asker)
    assert voting.accept_answer(asker, answer.id).accepted


def test_offering_a_bounty(app):
    offerer = make_user(points=300)
    question = _old_question(make_user())
    _silence(offerer)
    _refused(lambda: bounties.offer_bounty(offerer, question.id, amount=100))
    db.session.refresh(offerer)
    assert _count(Bounty) == 0 and offerer.points == 300

    _run_out(offerer)
    assert bounties.offer_bounty(offerer, question.id, amount=100).status == "active"


def test_awarding_a_bounty(app):
    offerer = make_user(points=300)
    question = _old_question(make_user())
    bounty = bounties.offer_bounty(offerer, question.id, amount=100)
    answer = make_post(thread=question, author=make_user())
    _silence(offerer)
    _refused(lambda: bounties.award_bounty(offerer, bounty.id, answer.id))
    assert db.session.get(Bounty, bounty.id).status == "active"

    _run_out(offerer)
    assert bounties.award_bounty(offerer, bounty.id, answer.id).status == "awarded"


def test_close_and_reopen_votes(app):
    voter = make_user(points=3000)
    question = make_thread(author=make_user())
    _silence(voter)
    _refused(lambda: closing.cast_close_vote(voter, question.id, reason="unclear"))
    assert _count(CloseVote) == 0

    _run_out(voter)
    assert closing.cast_close_vote(voter, question.id, reason="unclear").votes == 1
    closing.cast_close_vote(make_user(role="moderator"), question.id, reason="unclear")
    _silence(voter)
    _refused(lambda: closing.cast_reopen_vote(voter, question.id))
    assert _count(CloseVote) == 2

    _run_out(voter)
    assert closing.cast_reopen_vote(voter, question.id).votes == 1


def test_reviewing_a_course_but_not_enrolling(client):
    course = make_course()
    learner = make_user()
    _silence(learner)
    login_as(client, learner)
    assert client.post(f"/courses/{course.slug}/enrol").status_code == 303  # private progress
    assert "Write a review" not in _text(client.get(f"/courses/{course.slug}"))
    refused = client.post(f"/courses/{course.slug}/review", data={"rating": "5", "comment": "Mine"})
    assert refused.status_code == 403 and SILENCED in _text(refused)
    assert _count(CourseReview) == 0

    _run_out(learner)
    assert "Write a review" in _text(client.get(f"/courses/{course.slug}"))
    assert client.post(f"/courses/{course.slug}/review", data={"rating": "5"}).status_code == 303
    assert _count(CourseReview) == 1


def test_joining_and_answering_a_challenge_set(app):
    ctf = make_challenge_set(challenges=0, published=False, requires_join=False)
    challenge = make_challenge(competition=ctf, answer="flag{x}")
    hint = make_hint(challenge=challenge)
    set_published(make_user(role="moderator"), ctf.id, True)
    player = make_user()
    _silence(player)
    _refused(lambda: join(player, ctf.id))
    _refused(lambda: submit_answer(player, challenge.id, "flag{x}"))
    _refused(lambda: unlock_hint(player, hint.id))
    assert (_count(Entrant), _count(Attempt), _count(HintUnlock)) == (0, 0, 0)

    _run_out(player)
    assert unlock_hint(player, hint.id).hint_id == hint.id
    assert submit_answer(player, challenge.id, "flag{x}").correct


def test_uploading_and_choosing_predictions(app):
    contest = make_prediction_contest()
    player = make_user()
    join(player, contest.id)
    mine = submit_predictions(player, contest.id, "first.csv", GOOD_FILE)
    _silence(player)
    _refused(lambda: submit_predictions(player, contest.id, "p.csv", GOOD_FILE))
    _refused(lambda: select_final(player, mine.id, True))
    assert _count(Submission) == 1 and not db.session.get(Submission, mine.id).selected_final

    _run_out(player)
    assert select_final(player, mine.id, True).selected_final
    assert submit_predictions(player, contest.id, "p.csv", GOOD_FILE).id


# -- the pages stop offering the buttons ----------------------------------------------


def test_the_thread_page_offers_no_accept_bounty_or_close_vote(client):
    asker = make_user(points=3000)
    question = _old_question(asker)
    make_post(thread=question, author=make_user())
    url = f"/t/{question.id}/{question.slug}"
    login_as(client, asker)
    page = _text(client.get(url))
    assert "accept-button" in page and "Offer a bounty" in page and "Vote to close" in page

    _silence(asker)
    page = _text(client.get(url))
    assert "accept-button" not in page and "Offer a bounty" not in page
    assert "Vote to close" not in page and page.count(SILENCED) == 2  # bounty and closing


def test_the_bounty_banner_tells_a_silenced_offerer_when_they_can_award(client):
    offerer = make_user(points=300)
    question = _old_question(make_user())
    bounties.offer_bounty(offerer, question.id, amount=100)
    make_post(thread=question, author=make_user())
    login_as(client, offerer)
    _silence(offerer)
    page = _text(client.get(f"/t/{question.id}/{question.slug}"))
    assert "Award bounty" not in page and "once the silence ends" in page


def test_a_closed_question_offers_no_reopen_vote(client):
    voter = make_user(points=3000)
    question = make_thread(author=make_user())
    closing.cast_close_vote(make_user(role="moderator"), question.id, reason="unclear")
    login_as(client, voter)
    _silence(voter)
    page = _text(client.get(f"/t/{question.id}/{question.slug}"))
    assert "Vote to reopen" not in page and SILENCED in page


def test_the_competition_page_says_why_there_is_no_entry_form(client):
    ctf = make_challenge_set()
    player = make_user()
    login_as(client, player)
    _silence(player)
    page = _text(client.get(f"/competitions/{ctf.slug}"))
    assert SILENCED in page and "comp-join-form" not in page
    refused = client.post(f"/competitions/{ctf.slug}/join", data={"accept_rules": "y"})
    assert refused.status_code == 403 and _count(Entrant) == 0

    _run_out(player)
    assert "comp-join-form" in _text(client.get(f"/competitions/{ctf.slug}"))
