"""Bounties on the real database: offering, awarding and expiry, with the ledger behind them."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.forum.models import Post
from app.gamification import bounties, ledger
from app.gamification.models import Bounty, PointTransaction
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import make_user

OLD = timedelta(days=3)


def _question(**kwargs):
    return make_thread(author=kwargs.pop("author", None) or make_user(),
                       created_at=utcnow() - kwargs.pop("age", OLD), **kwargs)


def _points(user) -> int:
    db.session.refresh(user)
    return user.points


def _rows(reason: str) -> list[tuple[int, int, str]]:
    return [(r.user_id, r.delta, r.key) for r in db.session.scalars(
        db.select(PointTransaction).where(PointTransaction.reason == reason).order_by(PointTransaction.id))]


def _events(type: str) -> list[dict]:
    return [e.data for e in db.session.scalars(db.select(Event).where(Event.type == type).order_by(Event.id))]


def _scored(post: Post, score: int) -> Post:
    post.score = score
    db.session.commit()
    return post


@pytest.fixture
def offerer(app):
    return make_user(points=300)


@pytest.fixture
def question(app):
    return _question()


# -- offering ----------------------------------------------------------------------


def test_an_offer_takes_the_points_at_once_through_the_ledger(offerer, question):
    bounty = bounties.offer_bounty(offerer, question.id, amount=100, reason="  Needs a modern answer  ")

    assert _points(offerer) == 200
    assert _rows("bounty_offered") == [(offerer.id, -100, f"bounty:{bounty.id}:offered")]
    assert (bounty.status, bounty.active_thread_id, bounty.reason) == ("active", question.id, "Needs a modern answer")
    assert bounty.ends_at - bounty.started_at == timedelta(days=7)
    assert _events("bounty_offered") == [{"amount": 100, "thread_id": question.id, "post_id": None}]
    assert ledger.find_discrepancies() == []


@pytest.mark.parametrize("amount", [None, 0, 25, 75, 120, 550, -50])
def test_amounts_outside_50_to_500_in_steps_of_50_are_refused(offerer, question, amount):
    with pytest.raises(ValidationError) as caught:
        bounties.offer_bounty(offerer, question.id, amount=amount)
    assert caught.value.field == "amount"
    assert _points(offerer) == 300
    assert db.session.scalar(db.select(db.func.count()).select_from(Bounty)) == 0


@pytest.mark.parametrize("amount", [50, 500])
def test_the_bounds_are_allowed(question, amount):
    rich = make_user(points=600)
    assert bounties.offer_bounty(rich, question.id, amount=amount).amount == amount


def test_the_privilege_is_needed(question):
    with pytest.raises(PermissionDenied, match="75 points"):
        bounties.offer_bounty(make_user(points=74), question.id, amount=50)
    assert bounties.offer_bounty(make_user(points=75), question.id, amount=50).amount == 50


def test_the_offerer_must_keep_at_least_one_point(question):
    tight = make_user(points=100)
    with pytest.raises(ValidationError, match="at most 50"):
        bounties.offer_bounty(tight, question.id, amount=100)
    assert _points(tight) == 100

    bounties.offer_bounty(make_user(points=101), question.id, amount=100)


def test_staff_have_the_privilege_but_still_pay_in_points(question):
    moderator = make_user(role="moderator")
    with pytest.raises(ValidationError, match="needs at least 51"):
        bounties.offer_bounty(moderator, question.id, amount=50)


def test_a_question_must_be_48_hours_old(offerer):
    young = _question(age=timedelta(hours=47))
    with pytest.raises(Conflict, match="48 hours"):
        bounties.offer_bounty(offerer, young.id, amount=50)
    bounties.offer_bounty(offerer, _question(age=timedelta(hours=48, minutes=1)).id, amount=50)


def test_only_live_open_questions_take_bounties(offerer):
    discussion = _question(kind="discussion")
    with pytest.raises(Conflict, match="questions"):
        bounties.offer_bounty(offerer, discussion.id, amount=50)

    closed = _question()
    closed.closed_at, closed.close_reason = utcnow(), "off_topic"
    deleted = _question()
    deleted.deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict, match="closed"):
        bounties.offer_bounty(offerer, closed.id, amount=50)
    with pytest.raises(NotFound):
        bounties.offer_bounty(offerer, deleted.id, amount=50)
    assert _points(offerer) == 300


def test_one_active_bounty_per_question(offerer, question):
    bounties.offer_bounty(offerer, question.id, amount=50)
    other = make_user(points=300)
    with pytest.raises(Conflict, match="already has a bounty"):
        bounties.offer_bounty(other, question.id, amount=100)
    assert _points(other) == 300


def test_at_most_three_active_bounties_per_user(offerer):
    questions = [_question() for _ in range(4)]
    for q in questions[:3]:
        bounties.offer_bounty(offerer, q.id, amount=50)
    with pytest.raises(Conflict, match="3 bounties running"):
        bounties.offer_bounty(offerer, questions[3].id, amount=50)
    assert _points(offerer) == 150

    answer = make_post(thread=questions[0], author=make_user())
    first = db.session.scalar(db.select(Bounty).where(Bounty.thread_id == questions[0].id))
    bounties.award_bounty(offerer, first.id, answer.id)
    assert bounties.offer_bounty(offerer, questions[3].id, amount=50).status == "active"


def test_the_reason_has_a_length_limit(offerer, question):
    with pytest.raises(ValidationError) as caught:
        bounties.offer_bounty(offerer, question.id, amount=50, reason="x" * 301)
    assert caught.value.field == "reason"


# -- awarding ----------------------------------------------------------------------


@pytest.fixture
def running(offerer, question):
    return bounties.offer_bounty(offerer, question.id, amount=150)


def test_the_offerer_awards_the_bounty_to_an_answer(offerer, question, running):
    answerer = make_user()
    answer = make_post(thread=question, author=answerer)

    bounty = bounties.award_bounty(offerer, running.id, answer.id)

    assert (bounty.status, bounty.awarded_post_id, bounty.awarded_amount) == ("awarded", answer.id, 150)
    assert bounty.active_thread_id is None and bounty.settled_at is not None
    assert _points(answerer) == 151
    assert _points(offerer) == 150
    assert _rows("bounty_awarded") == [(answerer.id, 150, f"bounty:{running.id}:awarded")]
    [event] = _events("bounty_awarded")
    assert event["amount"] == 150 and event["post_id"] == answer.id and event["thread_id"] == question.id
    assert event["recipient_id"] == answerer.id and event["automatic"] is False
    assert ledger.find_discrepancies() == []


def test_only_the_offerer_awards_it_even_if_someone_else_asked(question, running):
    answer = make_post(thread=question, author=make_user())
    for someone in (question.author, make_user(points=5000), make_user(role="admin")):
        with pytest.raises(PermissionDenied, match="Only the person who offered"):
            bounties.award_bounty(someone, running.id, answer.id)
    assert db.session.get(Bounty, running.id).status == "active"


def test_a_bounty_goes_only_to_a_live_answer_of_its_question_by_someone_else(offerer, question, running):
    own = make_post(thread=question, author=offerer)
    elsewhere = make_post(thread=_question(), author=make_user())
    deleted = make_post(thread=question, author=make_user())
    deleted.deleted_at = utcnow()
    db.session.commit()

    with pytest.raises(Conflict, match="your own answer"):
        bounties.award_bounty(offerer, running.id, own.id)
    with pytest.raises(Conflict, match="answer of the question"):
        bounties.award_bounty(offerer, running.id, first_post(question).id)
    with pytest.raises(Conflict, match="answer of the question"):
        bounties.award_bounty(offerer, running.id, elsewhere.id)
    with pytest.raises(Conflict, match="deleted"):
        bounties.award_bounty(offerer, running.id, deleted.id)
    with pytest.raises(NotFound):
        bounties.award_bounty(offerer, running.id, 987654)
    assert _rows("bounty_awarded") == []


def test_a_bounty_is_awarded_once_and_not_after_it_ended(offerer, question, running):
    answer = make_post(thread=question, author=make_user())
    with pytest.raises(Conflict, match="ended"):
        bounties.award_bounty(offerer, running.id, answer.id, now=running.ends_at)

    bounties.award_bounty(offerer, running.id, answer.id)
    with pytest.raises(Conflict, match="ended"):
        bounties.award_bounty(offerer, running.id, answer.id)
    assert len(_rows("bounty_awarded")) == 1


# -- expiry ------------------------------------------------------------------------


def _after(bounty: Bounty):
    return bounty.ends_at + timedelta(minutes=1)


def test_an_unawarded_bounty_pays_half_to_the_best_answer_of_its_week(offerer, question, running):
    start = running.started_at
    _scored(make_post(thread=question, author=make_user(), created_at=start - timedelta(hours=1)), 40)
    _scored(make_post(thread=question, author=offerer, created_at=start + timedelta(hours=1)), 30)
    _scored(make_post(thread=question, author=make_user(), created_at=start + timedelta(days=2)), 6)
    winner = _scored(make_post(thread=question, author=make_user(), created_at=start + timedelta(days=1)), 6)  # ties: earliest
    _scored(make_post(thread=question, author=make_user(), created_at=start + timedelta(hours=3)), 3)

    assert bounties.expire_bounties(now=_after(running)) == 1

    bounty = db.session.get(Bounty, running.id)
    assert (bounty.status, bounty.awarded_post_id, bounty.awarded_amount) == ("expired", winner.id, 75)
    assert bounty.active_thread_id is None
    assert _rows("bounty_awarded") == [(winner.author_id, 75, f"bounty:{running.id}:awarded")]
    assert _points(winner.author) == 76
    assert _points(offerer) == 150  # the other half is gone
    [expired] = _events("bounty_expired")
    assert expired == {"amount": 150, "thread_id": question.id, "post_id": winner.id,
                       "recipient_id": winner.author_id, "awarded": 75}
    assert _events("bounty_awarded")[0]["automatic"] is True
    assert ledger.find_discrepancies() == []


def test_nobody_gets_it_without_an_answer_scored_2(offerer, question, running):
    _scored(make_post(thread=question, author=make_user(), created_at=running.started_at + timedelta(hours=1)), 1)

    assert bounties.expire_bounties(now=_after(running)) == 1

    bounty = db.session.get(Bounty, running.id)
    assert (bounty.status, bounty.awarded_post_id, bounty.awarded_amount) == ("expired", None, 0)
    assert _rows("bounty_awarded") == []
    assert _events("bounty_expired") == [
        {"amount": 150, "thread_id": question.id, "post_id": None, "recipient_id": None, "awarded": 0}
    ]
    assert _points(offerer) == 150


def test_expiry_is_idempotent(offerer, question, running):
    winner = _scored(make_post(thread=question, author=make_user(),
                               created_at=running.started_at + timedelta(hours=1)), 2)
    now = _after(running)

    assert bounties.expire_bounties(now=now) == 1
    assert bounties.expire_bounties(now=now) == 0
    assert bounties.expire_bounties(now=now + timedelta(hours=1)) == 0

    assert len(_rows("bounty_awarded")) == 1
    assert len(_events("bounty_expired")) == 1
    assert _points(winner.author) == 76
    assert ledger.find_discrepancies() == []


def test_a_running_bounty_is_left_alone(offerer, question, running):
    assert bounties.expire_bounties(now=running.ends_at - timedelta(minutes=1)) == 0
    assert db.session.get(Bounty, running.id).status == "active"


def test_an_awarded_bounty_is_not_expired_again(offerer, question, running):
    answer = make_post(thread=question, author=make_user())
    bounties.award_bounty(offerer, running.id, answer.id)

    assert bounties.expire_bounties(now=_after(running)) == 0
    assert _events("bounty_expired") == []


def test_a_question_deleted_during_its_bounty_gets_the_bounty_refunded(offerer, question, running):
    question.deleted_at = utcnow()
    db.session.commit()

    assert bounties.expire_bounties(now=_after(running)) == 1

    assert _points(offerer) == 300
    assert _rows("bounty_refund") == [(offerer.id, 150, f"bounty:{running.id}:refund")]


def test_an_expired_bounty_frees_the_question_for_a_new_one(offerer, question, running):
    bounties.expire_bounties(now=_after(running))
    again = bounties.offer_bounty(make_user(points=100), question.id, amount=50)
    assert again.active_thread_id == question.id
