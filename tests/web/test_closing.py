"""Close and reopen votes on the real database: privileges, thresholds, expiry, rounds."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.forum import posting
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import Thread
from app.gamification import bounties, closing
from app.gamification.models import CloseVote
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import make_user

CLOSER_POINTS = 3000


def _voter(**kwargs):
    return make_user(points=CLOSER_POINTS, **kwargs)


def _question(**kwargs):
    return make_thread(author=make_user(), **kwargs)


def _fresh(thread) -> Thread:
    db.session.expire_all()
    return db.session.get(Thread, thread.id)


def _events() -> list[tuple[str, dict]]:
    types = ("close_vote", "close", "reopen")
    return [(e.type, e.data) for e in db.session.scalars(
        db.select(Event).where(Event.type.in_(types)).order_by(Event.id))]


@pytest.fixture
def question(app):
    return _question()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (lambda: make_user(), False),
        (lambda: make_user(points=2999), False),
        (lambda: make_user(points=3000), True),
        (lambda: make_user(role="moderator"), True),
        (lambda: make_user(role="admin"), True),
    ],
    ids=["newcomer", "2999-points", "3000-points", "moderator", "admin"],
)
def test_who_may_vote_to_close_and_reopen(question, who, allowed):
    user = who()
    if not allowed:
        with pytest.raises(PermissionDenied, match="3,000 points"):
            closing.cast_close_vote(user, question.id, reason="unclear")
        question.closed_at, question.close_reason = utcnow(), "unclear"
        db.session.commit()
        with pytest.raises(PermissionDenied, match="3,000 points"):
            closing.cast_reopen_vote(user, question.id)
        assert db.session.scalar(db.select(db.func.count()).select_from(CloseVote)) == 0
    else:
        outcome = closing.cast_close_vote(user, question.id, reason="unclear")
        assert outcome.took_effect == user.is_staff


def test_three_votes_close_a_question(question):
    voters = [_voter() for _ in range(3)]

    first = closing.cast_close_vote(voters[0], question.id, reason="off_topic")
    second = closing.cast_close_vote(voters[1], question.id, reason="unclear")
    assert (first.took_effect, first.votes, second.took_effect, second.votes) == (False, 1, False, 2)
    assert not _fresh(question).is_closed

    third = closing.cast_close_vote(voters[2], question.id, reason="off_topic")

    assert (third.took_effect, third.votes) == (True, 3)
    closed = _fresh(question)
    assert closed.is_closed and closed.close_reason == "off_topic" and closed.duplicate_of_id is None
    assert all(v.spent_at == closed.closed_at for v in db.session.scalars(db.select(CloseVote)))
    assert [t for t, _ in _events()] == ["close_vote"] * 3 + ["close"]
    assert _events()[-1][1] == {"reason": "off_topic", "duplicate_of_id": None, "votes": 3,
                                "by_staff": False}


def test_a_staff_vote_closes_at_once_with_its_reason(question):
    closing.cast_close_vote(_voter(), question.id, reason="unclear")
    outcome = closing.cast_close_vote(make_user(role="moderator"), question.id, reason="needs_focus")
    assert outcome.took_effect
    assert _fresh(question).close_reason == "needs_focus"


def test_duplicates_link_the_original(question):
    original = _question(title="The original question about files")
    voters = [_voter() for _ in range(3)]
    closing.cast_close_vote(voters[0], question.id, reason="duplicate", duplicate=str(original.id))
    closing.cast_close_vote(voters[1], question.id, reason="duplicate",
                            duplicate=f"https://guildhall.test/t/{original.id}/{original.slug}")
    closing.cast_close_vote(voters[2], question.id, reason="unclear")

    closed = _fresh(question)
    assert (closed.close_reason, closed.duplicate_of_id) == ("duplicate", original.id)
    assert closed.duplicate_of.title == "The original question about files"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("", "Paste the link"),
        ("not a link", "Paste the link"),
        ("999999", "could not find a live question"),
        ("self", "duplicate of itself"),
        ("deleted", "could not find a live question"),
        ("secret", "could not find a live question"),
        ("discussion", "must be a question"),
    ],
)
def test_a_duplicate_needs_a_live_original_question(question, ref, message):
    if ref == "self":
        ref = str(question.id)
    elif ref == "deleted":
        gone = _question()
        gone.deleted_at = utcnow()
        db.session.commit()
        ref = str(gone.id)
    elif ref == "secret":
        ref = str(_question(category=make_category(member_only=True)).id)
    elif ref == "discussion":
        ref = f"/t/{_question(kind='discussion').id}"

    with pytest.raises(ValidationError, match=message) as caught:
        closing.cast_close_vote(_voter(), question.id, reason="duplicate", duplicate=ref)
    assert caught.value.field == "duplicate"
    assert db.session.scalar(db.select(db.func.count()).select_from(CloseVote)) == 0


def test_a_reason_is_required(question):
    with pytest.raises(ValidationError) as caught:
        closing.cast_close_vote(_voter(), question.id, reason="because")
    assert caught.value.field == "reason"


def test_one_vote_per_person_per_round(question):
    voter = _voter()
    closing.cast_close_vote(voter, question.id, reason="unclear")
    with pytest.raises(Conflict, match="already voted to close"):
        closing.cast_close_vote(voter, question.id, reason="off_topic")
    assert db.session.scalar(db.select(db.func.count()).select_from(CloseVote)) == 1


def test_votes_older_than_14_days_do_not_count(question):
    now = utcnow()
    for days in (20, 15):
        closing.cast_close_vote(_voter(), question.id, reason="unclear", now=now - timedelta(days=days))

    outcome = closing.cast_close_vote(_voter(), question.id, reason="unclear", now=now)

    assert (outcome.took_effect, outcome.votes) == (False, 1)
    panel = closing.close_panel(_voter(), _fresh(question), now=now)
    assert panel.votes == 1


def test_votes_younger_than_14_days_still_count(question):
    now = utcnow()
    for days in (13, 12):
        closing.cast_close_vote(_voter(), question.id, reason="unclear", now=now - timedelta(days=days))
    assert closing.cast_close_vote(_voter(), question.id, reason="unclear", now=now).took_effect


def test_three_votes_reopen_and_clear_the_reason(question):
    original = _question()
    closing.cast_close_vote(make_user(role="admin"), question.id, reason="duplicate", duplicate=str(original.id))
    voters = [_voter() for _ in range(3)]

    assert not closing.cast_reopen_vote(voters[0], question.id).took_effect
    with pytest.raises(Conflict, match="already voted to reopen"):
        closing.cast_reopen_vote(voters[0], question.id)
    assert not closing.cast_reopen_vote(voters[1], question.id).took_effect
    assert closing.cast_reopen_vote(voters[2], question.id).took_effect

    reopened = _fresh(question)
    assert (reopened.closed_at, reopened.close_reason, reopened.duplicate_of_id) == (None, None, None)
    assert _events()[-1] == ("reopen", {"previous_reason": "duplicate", "votes": 3, "by_staff": False})


def test_staff_reopen_at_once_and_a_new_round_starts(question):
    voter = _voter()
    closing.cast_close_vote(make_user(role="moderator"), question.id, reason="unclear")
    closing.cast_reopen_vote(make_user(role="moderator"), question.id)
    assert not _fresh(question).is_closed

    # The earlier round's votes are spent: the same person may vote to close again.
    closing.cast_close_vote(voter, question.id, reason="unclear")
    assert _fresh(question).is_closed is False


def test_closed_and_open_states_are_checked(question):
    with pytest.raises(Conflict, match="nothing to reopen"):
        closing.cast_reopen_vote(_voter(), question.id)
    closing.cast_close_vote(make_user(role="moderator"), question.id, reason="unclear")
    with pytest.raises(Conflict, match="already closed"):
        closing.cast_close_vote(_voter(), question.id, reason="unclear")


def test_discussions_are_not_closed(app):
    discussion = _question(kind="discussion")
    with pytest.raises(Conflict, match="discussions stay open"):
        closing.cast_close_vote(_voter(), discussion.id, reason="unclear")


def test_a_question_with_a_running_bounty_cannot_be_closed(app):
    question = _question(created_at=utcnow() - timedelta(days=3))
    bounties.offer_bounty(make_user(points=500), question.id, amount=100)
    with pytest.raises(Conflict, match="bounty running"):
        closing.cast_close_vote(make_user(role="moderator"), question.id, reason="unclear")


def test_a_closed_question_takes_no_answers(question):
    closing.cast_close_vote(make_user(role="moderator"), question.id, reason="off_topic")
    with pytest.raises(Conflict, match="This question is closed, so it takes no new answers."):
        posting.add_reply(make_user(), question.id, body="An answer that arrives too late to count.")


def test_the_panel_names_who_closed_it_and_leaves_expired_votes_out(question):
    now = utcnow()
    stale = _voter(username="stale")
    closing.cast_close_vote(stale, question.id, reason="unclear", now=now - timedelta(days=20))
    ada, bob, cy = (_voter(username=n) for n in ("ada", "bob", "cy"))
    for user in (ada, bob, cy):
        closing.cast_close_vote(user, question.id, reason="off_topic", now=now)

    panel = closing.close_panel(make_user(), _fresh(question))

    assert [u.username for u in panel.closers] == ["ada", "bob", "cy"]
    assert panel.notice == "Closed as off-topic"
    assert not panel.privileged and not panel.can_vote
