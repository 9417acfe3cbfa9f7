"""Many people voting on one post at the same moment: no lost update, no double points.

Each thread works in its own app context, so it has its own session and its own
database connection, as gunicorn workers would. A barrier releases them together.
"""

import threading

import pytest
from sqlalchemy import func, select

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.forum import voting
from app.forum.models import Post, Vote
from app.gamification import ledger, points
from app.gamification.models import PointTransaction
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import make_user

VOTERS = 12


def _run_together(worker_app, jobs) -> list[BaseException]:
    """Run each `(user_id, post_id, value)` vote in its own thread, all released at once."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def vote(user_id: int, post_id: int, value: str) -> None:
        with worker_app.app_context():
            try:
                voter = db.session.get(User, user_id)
                barrier.wait(timeout=30)
                voting.cast_vote(voter, post_id, value)
            except BaseException as error:  # noqa: BLE001  (reported to the main thread)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=vote, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a voting thread hung"
    return errors


@pytest.fixture
def worker_app(app, app_config):
    worker = create_app(app_config)
    yield worker
    with worker.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("round_", range(2))
def test_simultaneous_votes_lose_nothing_and_pay_once(app, worker_app, round_):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    voters = [make_user(points=15) for _ in range(VOTERS)]
    double_voter = make_user(points=15)
    jobs = [(v.id, answer.id, "up") for v in voters]
    jobs += [(double_voter.id, answer.id, "up")] * 2
    db.session.remove()

    errors = _run_together(worker_app, jobs)

    assert errors == []
    votes = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.post_id == answer.id))
    # The double voter's second click either lost the race for the unique key (one vote)
    # or came after the first and took it back (no vote); never two votes.
    assert votes in (VOTERS, VOTERS + 1)
    assert db.session.scalar(select(Post.score).where(Post.id == answer.id)) == votes
    author_points = db.session.scalar(select(User.points).where(User.id == answer.author_id))
    assert author_points == 1 + 10 * votes
    standing = ledger.standing_rows(subject=answer, reasons=points.VOTE_REASONS)
    assert len(standing) == votes
    assert len({row.actor_id for row in standing}) == votes
    for voter in [*voters, double_voter]:
        daily = db.session.scalar(
            select(func.count()).select_from(PointTransaction).where(
                PointTransaction.user_id == voter.id, PointTransaction.reason == "daily_activity"
            )
        )
        assert daily == 1
    assert ledger.find_discrepancies() == []


def test_simultaneous_downvotes_never_push_a_total_below_the_floor(app, worker_app):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user(points=7))
    jobs = [(make_user(points=125).id, answer.id, "down") for _ in range(6)]
    db.session.remove()

    errors = _run_together(worker_app, jobs)

    assert errors == []
    assert db.session.scalar(select(Post.score).where(Post.id == answer.id)) == -6
    assert db.session.scalar(select(User.points).where(User.id == answer.author_id)) == 1
    assert ledger.find_discrepancies() == []


def test_two_people_voting_on_each_other_at_once_do_not_deadlock(app, worker_app):
    """Each vote locks the author's total and then the voter's (first activity of the day):
    opposite orders in the two transactions unless the ledger locks in a fixed order."""
    thread = make_thread(author=make_user())
    jobs = []
    for _ in range(4):
        ada, bob = make_user(points=15), make_user(points=15)
        by_ada, by_bob = make_post(thread=thread, author=ada), make_post(thread=thread, author=bob)
        jobs += [(ada.id, by_bob.id, "up"), (bob.id, by_ada.id, "up")]
    db.session.remove()

    errors = _run_together(worker_app, jobs)

    assert errors == []
    assert ledger.find_discrepancies() == []
