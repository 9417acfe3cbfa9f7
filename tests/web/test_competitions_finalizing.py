"""Finalizing: final standings, prize points through the ledger, the badge events, the
notifications, and a second run that changes nothing."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.competitions.challenges import submit_answer
from app.competitions.finalizing import finalize, finalize_due, ordinal
from app.competitions.joining import join
from app.competitions.models import Competition, FinalStanding
from app.competitions.organising import PrizeInput, disqualify, set_prizes
from app.competitions.predictions import select_final, submit_predictions
from app.competitions.split import public_mask
from app.competitions.standings import final_standings
from app.extensions import db
from app.forum.errors import Conflict
from app.gamification.ledger import find_discrepancies
from app.gamification.models import BadgeAward, PointTransaction
from app.insights.models import Event
from app.notifications.models import Notification
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge_set,
    make_organiser,
    make_prediction_contest,
)
from tests.fixtures.users import login_as, make_user

START = datetime(2026, 5, 1, 12, 0)
END = START + timedelta(days=2)
AFTER = END + timedelta(minutes=1)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def finished(app):
    """A challenge set of 3 challenges; five entrants placed 1..5, one who solved nothing,
    one disqualified; prizes 500 / 200 / 200 / - / 10."""
    ctf = make_challenge_set(challenges=3, starts_at=START, ends_at=END)
    staff = make_organiser()
    set_prizes(staff, ctf.id, [PrizeInput(1, 1, 500), PrizeInput(2, 3, 200),
                               PrizeInput(5, 5, 10)])
    people = [make_user(username=f"placed{n}") for n in range(1, 6)]
    idle, cheat = make_user(username="idle"), make_user(username="cheat")
    for user in [*people, idle, cheat]:
        join(user, ctf.id, now=START)
    for n, user in enumerate(people):  # placed1 solves 3, placed2 2, ..., placed4/5 one each
        for i, challenge in enumerate(ctf.challenges[: max(1, 3 - n)]):
            submit_answer(user, challenge.id, f"flag{{{i + 1}}}", now=at(10 * n + i))
    for i, challenge in enumerate(ctf.challenges):
        submit_answer(cheat, challenge.id, f"flag{{{i + 1}}}", now=at(i))
    disqualify(staff, ctf.id, cheat.id, "Shared flags.", now=at(100))
    return ctf, people, idle, cheat


def _count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_finalizing_before_the_end_is_refused(finished):
    ctf, *_ = finished
    with pytest.raises(Conflict, match="ends at 2026-05-03 12:00 UTC"):
        finalize(ctf.id, now=END - timedelta(seconds=1))
    assert _count(FinalStanding) == 0


def test_final_standings_prizes_badges_and_news(finished):
    ctf, people, idle, cheat = finished
    result = finalize(ctf.id, now=AFTER)
    assert (result.done, result.ranked, result.prizes_paid) == (True, 5, 4)
    assert db.session.get(Competition, ctf.id).finalized_at == AFTER

    rows = final_standings(ctf)
    assert [(r.rank, r.user.username, r.score, r.prize_points) for r in rows] == [
        (1, "placed1", 300, 500), (2, "placed2", 200, 200), (3, "placed3", 100, 200),
        (4, "placed4", 100, 0), (5, "placed5", 100, 10)]

    ledger = db.session.execute(select(PointTransaction.user_id, PointTransaction.delta,
                                       PointTransaction.reason, PointTransaction.key,
                                       PointTransaction.subject_type)
                                .order_by(PointTransaction.id)).all()
    prized = [people[0], people[1], people[2], people[4]]
    assert ledger == [(u.id, p, "competition_prize", f"competition:{ctf.id}:prize:{u.id}",
                       "competition") for u, p in zip(prized, (500, 200, 200, 10), strict=True)]
    for user, points in zip(prized, (500, 200, 200, 10), strict=True):
        db.session.refresh(user)
        assert user.points == 1 + points
    assert find_discrepancies() == []

    placed = db.session.scalars(select(Event).filter_by(type="competition_placed")
                                .order_by(Event.id)).all()
    assert [(e.user_id, e.data["rank"]) for e in placed] == [
        (u.id, n) for n, u in enumerate(people, start=1)]
    badges = {(b.user_id, b.badge) for b in db.session.scalars(select(BadgeAward))}
    assert (people[0].id, "champion") in badges
    assert {u for u, badge in badges if badge == "podium"} == {p.id for p in people[:3]}
    assert {u for u, badge in badges if badge == "champion"} == {people[0].id}
    assert {u for u, badge in badges if badge == "competitor"} == {
        *(p.id for p in people), idle.id, cheat.id}

    news = {n.user_id: n.data for n in db.session.scalars(
        select(Notification).filter_by(kind="competition"))}
    assert news[people[2].id]["place"] == "3rd" and news[people[2].id]["prize_points"] == 200
    assert news[idle.id].get("place") is None  # entered, solved nothing: told it is over
    assert cheat.id not in news


def test_finalizing_twice_changes_nothing(finished):
    ctf, *_ = finished
    finalize(ctf.id, now=AFTER)
    before = (
        [(r.user_id, r.rank, r.score, r.prize_points) for r in final_standings(ctf)],
        _count(PointTransaction), _count(Event), _count(Notification), _count(BadgeAward))
    again = finalize(ctf.id, now=AFTER + timedelta(hours=1))
    assert not again.done
    assert finalize_due(now=AFTER + timedelta(days=1)) == []
    db.session.expire_all()
    after = (
        [(r.user_id, r.rank, r.score, r.prize_points) for r in final_standings(ctf)],
        _count(PointTransaction), _count(Event), _count(Notification), _count(BadgeAward))
    assert after == before
    assert db.session.get(Competition, ctf.id).finalized_at == AFTER


def test_finalize_due_closes_only_what_has_ended(app):
    ended = make_challenge_set(starts_at=START, ends_at=END)
    running = make_challenge_set(starts_at=START, ends_at=END + timedelta(days=1))
    draft = make_challenge_set(starts_at=START, ends_at=END, published=False)
    results = finalize_due(now=AFTER)
    assert [(r.competition_id, r.done) for r in results] == [(ended.id, True)]
    db.session.expire_all()
    assert db.session.get(Competition, running.id).finalized_at is None
    assert db.session.get(Competition, draft.id).finalized_at is None


def test_the_command_finalizes_and_says_so(app):
    ctf = make_challenge_set()  # started an hour ago, ends tomorrow
    runner = app.test_cli_runner()
    early = runner.invoke(args=["competitions", "finalize", "--id", str(ctf.id)])
    assert early.exit_code == 1 and "it can be finalized after that" in early.output
    ctf.starts_at, ctf.ends_at = datetime(2000, 1, 1), datetime(2000, 1, 2)
    db.session.commit()
    done = runner.invoke(args=["competitions", "finalize", "--id", str(ctf.id)])
    assert done.exit_code == 0
    assert f"competition {ctf.id}: finalized, 0 ranked, 0 prize(s) paid" in done.output
    again = runner.invoke(args=["competitions", "finalize"])
    assert again.exit_code == 0 and "No competition is waiting to be finalized." in again.output


def test_a_prediction_contest_is_decided_on_the_private_split_with_movement(app):
    ids = [f"r{i:03d}" for i in range(40)]
    right = {row_id: "ab"[i % 2] for i, row_id in enumerate(ids)}
    contest = make_prediction_contest(starts_at=START, ends_at=END, requires_join=False,
                                      truth=csv_bytes(right.items()))
    set_prizes(make_organiser(), contest.id, [PrizeInput(1, 1, 100)])
    mask = public_mask(contest.split_secret, ids, contest.public_fraction)

    def guess(public_right: bool, private_right: bool) -> bytes:
        return csv_bytes((row_id, right[row_id] if (public_right if mask[i] else private_right)
                          else "z") for i, row_id in enumerate(ids))

    overfit, steady = make_user(), make_user()
    submit_predictions(overfit, contest.id, "o.csv", guess(True, False), now=at(1))
    chosen = submit_predictions(steady, contest.id, "s.csv", guess(False, True), now=at(2))
    select_final(steady, chosen.id, True, now=at(3))
    finalize(contest.id, now=AFTER)
    rows = final_standings(contest)
    assert [(r.user_id, r.rank, r.score, r.public_rank, r.movement, r.prize_points)
            for r in rows] == [(steady.id, 1, 1.0, 2, 1, 100),
                               (overfit.id, 2, 0.0, 1, -1, 0)]


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
        "112th"]


def test_the_notifications_page_says_the_place(finished, client):
    ctf, people, idle, _ = finished
    finalize(ctf.id, now=AFTER)
    login_as(client, people[2])
    page = client.get("/notifications").get_data(as_text=True)
    assert f"Final results of <span class=\"notification-subject\">{ctf.title}</span>" in page
    assert "you placed <strong>3rd</strong> of 5 and won <strong>+200</strong> points" in page
    login_as(client, idle)
    assert "are out" in client.get("/notifications").get_data(as_text=True)
