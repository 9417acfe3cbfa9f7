"""The points ledger through the real forum services: votes, accepts, edits, deletes,
daily activity, streaks, the daily cap, the floor and replays.

After every test the cached totals must equal 1 + the ledger sums (`_reconciles`).
"""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.forum import posting, voting
from app.forum.errors import PermissionDenied
from app.forum.models import ThreadKind
from app.gamification import ledger, points
from app.gamification.models import ActivityDay, PointTransaction
from app.insights.models import Event
from app.insights.services import record
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import give_points, make_user

VOTER = 15  # vote_up
DOWNVOTER = 125  # vote_down


@pytest.fixture(autouse=True)
def _reconciles(app):
    yield
    db.session.rollback()
    assert ledger.find_discrepancies() == []


def _points(user) -> int:
    return db.session.scalar(select(User.points).where(User.id == user.id))


def _rows(user, *reasons) -> list[tuple[str, int]]:
    """(reason, delta) of the user's ledger rows, oldest first, test adjustments left out."""
    query = select(PointTransaction.reason, PointTransaction.delta).where(
        PointTransaction.user_id == user.id, PointTransaction.reason != "adjustment"
    )
    if reasons:
        query = query.where(PointTransaction.reason.in_(reasons))
    return [tuple(r) for r in db.session.execute(query.order_by(PointTransaction.id))]


def _snapshot() -> dict[int, tuple]:
    return {
        r.id: (r.user_id, r.delta, r.reason, r.key, r.reverses_id)
        for r in db.session.scalars(select(PointTransaction))
    }


@pytest.fixture
def question():
    return make_thread(author=make_user())


@pytest.fixture
def answer(question):
    return make_post(thread=question, author=make_user())


# -- votes ---------------------------------------------------------------------------


def test_question_upvoted_pays_the_asker_five(question):
    voting.cast_vote(make_user(points=VOTER), first_post(question).id, "up")
    assert _rows(question.author) == [("question_upvoted", 5)]
    assert _points(question.author) == 6


def test_answer_upvoted_pays_ten(answer):
    voting.cast_vote(make_user(points=VOTER), answer.id, "up")
    assert _rows(answer.author) == [("answer_upvoted", 10)]
    assert _points(answer.author) == 11


def test_reply_in_a_discussion_upvoted_pays_ten():
    discussion = make_thread(author=make_user(), kind=ThreadKind.DISCUSSION)
    reply = make_post(thread=discussion, author=make_user())
    voting.cast_vote(make_user(points=VOTER), reply.id, "up")
    assert _rows(reply.author) == [("reply_upvoted", 10)]


def test_downvoting_an_answer_costs_the_author_two_and_the_voter_one(answer):
    author = answer.author
    give_points(author, 49)
    voter = make_user(points=DOWNVOTER)

    voting.cast_vote(voter, answer.id, "down")

    assert _rows(author, "post_downvoted") == [("post_downvoted", -2)]
    assert _rows(voter, "downvoted_answer") == [("downvoted_answer", -1)]
    assert _points(author) == 48
    assert _points(voter) == DOWNVOTER - 1 + 1  # -1 for the downvote, +1 first activity today


def test_downvoting_a_question_is_free_for_the_voter(question):
    voter = make_user(points=DOWNVOTER)
    voting.cast_vote(voter, first_post(question).id, "down")
    assert _rows(voter, "downvoted_answer") == []
    assert _rows(question.author) == [("post_downvoted", 0)]  # the floor: they had 1


def test_unvote_writes_a_reversing_row_and_never_updates_one(answer):
    voter = make_user(points=VOTER)
    voting.cast_vote(voter, answer.id, "up")
    before = _snapshot()

    voting.cast_vote(voter, answer.id, "up")  # the same vote again takes it back

    after = _snapshot()
    assert {k: after[k] for k in before} == before
    (new,) = [row for k, row in after.items() if k not in before]
    original = next(k for k, row in before.items() if row[2] == "answer_upvoted")
    assert new[1:3] == (-10, "answer_upvoted") and new[4] == original
    assert _points(answer.author) == 1


def test_flipping_a_vote_reverses_it_and_pays_the_new_one(answer):
    author = answer.author
    give_points(author, 49)
    voter = make_user(points=DOWNVOTER)
    voting.cast_vote(voter, answer.id, "up")

    voting.cast_vote(voter, answer.id, "down")

    assert _rows(author) == [("answer_upvoted", 10), ("answer_upvoted", -10), ("post_downvoted", -2)]
    assert _points(author) == 48
    voting.cast_vote(voter, answer.id, "clear")
    assert _points(author) == 50 and _rows(voter, "downvoted_answer") == [
        ("downvoted_answer", -1), ("downvoted_answer", 1)
    ]


def test_no_points_for_voting_on_yourself(answer):
    author = answer.author
    give_points(author, 200)
    with pytest.raises(PermissionDenied):
        voting.cast_vote(author, answer.id, "up")
    # Even a self-vote event that slipped past the service pays nothing.
    record("vote", user=author, subject=answer, data={"value": 1, "previous": 0})
    db.session.commit()
    assert _rows(author, *points.VOTE_REASONS) == []


# -- accepts -------------------------------------------------------------------------


def test_accept_pays_the_answerer_fifteen_and_the_asker_two(question, answer):
    voting.accept_answer(question.author, answer.id)
    assert _rows(answer.author) == [("answer_accepted", 15)]
    assert _rows(question.author) == [("accepted_answer", 2)]


def test_accepting_your_own_answer_pays_nothing(question):
    own = make_post(thread=question, author=question.author)
    voting.accept_answer(question.author, own.id)
    assert _rows(question.author) == []


def test_moving_the_accept_reverses_the_old_and_pays_the_new(question, answer):
    other = make_post(thread=question, author=make_user())
    asker = question.author
    voting.accept_answer(asker, answer.id)

    voting.accept_answer(asker, other.id)

    assert _rows(answer.author) == [("answer_accepted", 15), ("answer_accepted", -15)]
    assert _rows(other.author) == [("answer_accepted", 15)]
    assert _rows(asker) == [("accepted_answer", 2), ("accepted_answer", -2), ("accepted_answer", 2)]
    assert _points(asker) == 3

    voting.accept_answer(asker, other.id)  # unaccept
    assert _points(other.author) == 1 and _points(asker) == 1


def test_accepts_are_outside_the_daily_vote_cap(question, answer):
    ledger.award(answer.author.id, "answer_upvoted", key="cap-filler", points=200)
    db.session.commit()
    voting.cast_vote(make_user(points=VOTER), answer.id, "up")
    voting.accept_answer(question.author, answer.id)
    assert _rows(answer.author)[-2:] == [("answer_upvoted", 0), ("answer_accepted", 15)]
    assert _points(answer.author) == 1 + 200 + 15


# -- delete and undelete -------------------------------------------------------------


def test_deleting_a_post_reverses_its_votes_and_accept_and_undeleting_pays_again(question, answer):
    voter = make_user(points=VOTER)
    voting.cast_vote(voter, answer.id, "up")
    voting.accept_answer(question.author, answer.id)
    assert _points(answer.author) == 26

    posting.delete_post(answer.author, answer.id)
    assert _points(answer.author) == 1 and _points(question.author) == 1

    posting.undelete_post(make_user(role=Role.MODERATOR), answer.id)
    # Deleting an answer clears the accept mark, so only the vote comes back.
    assert _points(answer.author) == 11
    voting.cast_vote(voter, answer.id, "up")  # taking the vote back after the undelete
    assert _points(answer.author) == 1


def test_deleting_a_thread_takes_the_points_of_all_its_posts(question, answer):
    voting.cast_vote(make_user(points=VOTER), first_post(question).id, "up")
    voting.cast_vote(make_user(points=VOTER), answer.id, "up")
    voting.accept_answer(question.author, answer.id)

    posting.delete_post(question.author, first_post(question).id)
    assert (_points(question.author), _points(answer.author)) == (1, 1)

    posting.undelete_post(make_user(role=Role.MODERATOR), first_post(question).id)
    assert (_points(question.author), _points(answer.author)) == (1 + 5 + 2, 1 + 10 + 15)


# -- edits ---------------------------------------------------------------------------


def test_editing_someone_elses_post_pays_two_once_per_post(answer):
    editor = make_user(role=Role.MODERATOR)
    posting.edit_post(editor, answer.id, body="Use `for line in f:`, it streams the file.",
                      reason="Wording")
    posting.edit_post(editor, answer.id, body="Use `for line in f:`; it streams the file.",
                      reason="Punctuation")
    posting.edit_post(answer.author, answer.id, body="My own edit pays me nothing at all.")
    assert _rows(editor, "edit_approved") == [("edit_approved", 2)]
    assert _rows(answer.author, "edit_approved") == []


def test_edit_points_stop_at_one_thousand(question, answer):
    editor = make_user(role=Role.MODERATOR)
    ledger.award(editor.id, "edit_approved", key="earlier-edits", points=999)
    db.session.commit()
    posting.edit_post(editor, answer.id, body="Use `for line in f:`, it streams the file.",
                      reason="Wording")
    second = make_post(thread=question, author=make_user())
    posting.edit_post(editor, second.id, body="Another answer, improved by a moderator.",
                      reason="Clearer")
    assert _rows(editor, "edit_approved") == [("edit_approved", 999), ("edit_approved", 1)]
    assert ledger.edit_points_left(editor.id) == 0


# -- activity and streaks ------------------------------------------------------------


def _act(user, at: datetime) -> None:
    record("lesson_completed", user=user, at=at)
    db.session.commit()


def test_the_first_activity_of_the_day_pays_one(question):
    asker = make_user()
    posting.add_reply(asker, question.id, body="A first answer of the day, with some detail.")
    posting.add_reply(asker, question.id, body="A second answer the same day, also detailed.")
    assert _rows(asker) == [("daily_activity", 1)]
    assert db.session.scalar(select(ActivityDay.actions).where(ActivityDay.user_id == asker.id)) == 2


def test_the_day_is_the_users_own(app):
    los_angeles = make_user(timezone="America/Los_Angeles")
    utc = make_user(timezone="UTC")
    for moment in (datetime(2026, 3, 4, 6, 0), datetime(2026, 3, 4, 9, 0)):
        _act(los_angeles, moment)  # 22:00 on the 3rd, then 01:00 on the 4th, in LA
        _act(utc, moment)  # both on the 4th
    assert _rows(los_angeles) == [("daily_activity", 1), ("daily_activity", 1)]
    assert _rows(utc) == [("daily_activity", 1)]
    days = db.session.scalars(
        select(ActivityDay.day).where(ActivityDay.user_id == los_angeles.id).order_by(ActivityDay.day)
    )
    assert [d.isoformat() for d in days] == ["2026-03-03", "2026-03-04"]


def test_a_seven_day_streak_pays_ten_and_again_at_fourteen(app):
    user = make_user()
    start = datetime(2026, 3, 1, 12, 0)
    for n in range(15):
        _act(user, start + timedelta(days=n))
    assert _rows(user, "streak") == [("streak", 10), ("streak", 10)]
    assert _points(user) == 1 + 15 + 20


def test_a_broken_streak_starts_again(app):
    user = make_user()
    start = datetime(2026, 3, 1, 12, 0)
    for n in [*range(6), *range(7, 13)]:  # six days, a gap, six days
        _act(user, start + timedelta(days=n))
    assert _rows(user, "streak") == []


def test_an_unknown_time_zone_counts_in_utc():
    assert points.local_day(datetime(2026, 3, 4, 23, 30), "Mars/Olympus").isoformat() == "2026-03-04"
    assert points.local_day(datetime(2026, 3, 4, 23, 30), "Asia/Tokyo").isoformat() == "2026-03-05"


# -- cap, floor, replays, milestones -------------------------------------------------


def test_vote_points_stop_at_two_hundred_a_day(question):
    author = make_user()
    answers = [make_post(thread=question, author=author) for _ in range(7)]
    voters = [make_user(points=VOTER) for _ in range(3)]
    for voter in voters:
        for each in answers:
            voting.cast_vote(voter, each.id, "up")

    assert _points(author) == 201
    capped = db.session.scalars(
        select(PointTransaction).where(PointTransaction.user_id == author.id).order_by(
            PointTransaction.id.desc()
        )
    ).first()
    assert (capped.delta, capped.requested) == (0, 10)
    # Taking back a vote that was paid frees its share of the cap; the capped one gives back 0.
    voting.cast_vote(voters[-1], answers[-1].id, "up")
    assert _points(author) == 201


def test_the_cap_starts_again_the_next_utc_day(app):
    user = make_user()
    today = datetime(2026, 3, 4, 23, 0)
    ledger.award(user.id, "answer_upvoted", key="a", points=200, at=today)
    ledger.award(user.id, "answer_upvoted", key="b", at=today)
    ledger.award(user.id, "answer_upvoted", key="c", at=today + timedelta(hours=2))
    db.session.commit()
    assert _rows(user) == [("answer_upvoted", 200), ("answer_upvoted", 0), ("answer_upvoted", 10)]


def test_the_total_never_goes_below_one(answer):
    author = answer.author
    voter = make_user(points=DOWNVOTER)
    voting.cast_vote(voter, answer.id, "down")
    assert _points(author) == 1
    voting.cast_vote(voter, answer.id, "clear")
    assert _points(author) == 1  # undoing a trimmed loss gives nothing back


def test_a_replayed_award_pays_nothing(app):
    user = make_user()
    assert ledger.award(user.id, "streak", key="same") is not None
    assert ledger.award(user.id, "streak", key="same") is None
    db.session.commit()
    assert _points(user) == 11


def test_a_replayed_vote_or_accept_event_changes_nothing(question, answer):
    voting.cast_vote(make_user(points=VOTER), answer.id, "up")
    voting.accept_answer(question.author, answer.id)
    before = _snapshot()
    for event in db.session.scalars(select(Event).where(Event.type.in_(("vote", "accept")))):
        points.on_vote(event) if event.type == "vote" else points.on_accept(event)
    db.session.commit()
    assert _snapshot() == before


def test_a_reversal_happens_once(answer):
    row = ledger.award(answer.author.id, "answer_upvoted", key="once")
    assert ledger.reverse(row) is not None
    assert ledger.reverse(row) is None
    db.session.commit()
    assert _points(answer.author) == 1


def test_reaching_a_level_records_it_once(app):
    user = make_user()
    give_points(user, 20)
    give_points(user, -10)
    give_points(user, 10)
    events = db.session.execute(
        select(Event.type, Event.data).where(Event.user_id == user.id).order_by(Event.id)
    ).all()
    assert [(t, d.get("level") or d.get("privilege")) for t, d in events] == [
        ("level_up", 2), ("privilege_unlocked", "vote_up"), ("privilege_unlocked", "flag"),
    ]


def test_reconcile_finds_and_fixes_a_drifted_cache(answer):
    voting.cast_vote(make_user(points=VOTER), answer.id, "up")
    db.session.execute(User.__table__.update().where(User.id == answer.author_id).values(points=99))
    db.session.commit()

    (found,) = ledger.find_discrepancies()
    assert (found.user_id, found.cached, found.ledger, found.difference) == (
        answer.author_id, 99, 11, 88
    )
    assert ledger.reconcile(fix=True) == [found]
    assert ledger.find_discrepancies() == [] and _points(answer.author) == 11

