"""Answering challenges: the three answer modes, the attempt limit, prerequisites, first
blood, dynamic values and hints; and the challenge list each viewer sees."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.competitions.challenge_board import challenge_list
from app.competitions.challenges import submit_answer, unlock_hint
from app.competitions.errors import LimitReached
from app.competitions.joining import join
from app.competitions.models import Attempt, HintUnlock, Solve
from app.competitions.roster import attempts_page
from app.competitions.scoring import dynamic_value
from app.competitions.standings import get_standings
from app.extensions import db
from app.forum.errors import PermissionDenied
from app.gamification.models import PointTransaction
from tests.fixtures.competitions import (
    make_challenge,
    make_challenge_set,
    make_hint,
    make_organiser,
)
from tests.fixtures.users import make_user

START = datetime(2026, 5, 1, 12, 0)
END = START + timedelta(days=2)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def ctf(app):
    return make_challenge_set(challenges=0, published=False, starts_at=START, ends_at=END,
                              requires_join=False)


def _publish(competition):
    from app.competitions.organising import set_published

    set_published(make_organiser(), competition.id, True)


def _scores(competition, viewer=None, now=None):
    board = get_standings(competition, viewer or make_organiser(), now=now or at(60 * 24))
    return {row.user.id: row.score for row in board.rows}


@pytest.mark.parametrize(("mode", "stored", "right", "wrong"), [
    ("exact", "flag{Exact_1}", ["flag{Exact_1}", "  flag{Exact_1}\n"], ["flag{exact_1}", ""]),
    ("case_insensitive", "Straße", ["STRASSE", "straße"], ["strase"]),
    ("regex", r"flag\{[0-9]{3}\}", ["flag{123}", "flag{999}"], ["flag{12}", "xflag{123}"]),
])
def test_each_answer_mode(ctf, mode, stored, right, wrong):
    challenge = make_challenge(competition=ctf, mode=mode, answer=stored)
    _publish(ctf)
    for text in wrong:
        result = submit_answer(make_user(), challenge.id, text, now=at(1))
        assert not result.correct and "That is not the answer." in result.message
    for text in right:
        assert submit_answer(make_user(), challenge.id, text, now=at(2)).correct
    assert db.session.scalar(select(func.count(Solve.id))) == len(right)


def test_a_solved_challenge_says_so_and_counts_no_attempt(ctf):
    challenge = make_challenge(competition=ctf, answer="flag{x}", title="Warm-up")
    _publish(ctf)
    user = make_user()
    first = submit_answer(user, challenge.id, "flag{x}", now=at(1))
    assert first.correct and not first.already_solved and "Correct!" in first.message
    again = submit_answer(user, challenge.id, "anything", now=at(2))
    assert again.already_solved and again.message == "You already solved “Warm-up”."
    assert db.session.scalar(select(func.count(Attempt.id))) == 1
    assert db.session.scalar(select(func.count(Solve.id))) == 1
    assert db.session.scalar(select(Attempt.text)) == ""  # the flag is not kept in clear
    submit_answer(make_user(username="guesser"), challenge.id, "flag{nope}", now=at(3))
    rows = [(a.text, a.correct, name) for a, name in attempts_page(make_organiser(),
                                                                   challenge).items]
    assert rows == [("flag{nope}", False, "guesser"), ("", True, user.username)]


def test_ten_attempts_per_ten_minutes_then_a_message_with_the_time(ctf):
    challenge = make_challenge(competition=ctf, answer="flag{x}")
    _publish(ctf)
    user = make_user()
    for n in range(10):
        result = submit_answer(user, challenge.id, f"guess {n}", now=at(1 + n * 0.5))
        assert result.attempts_left == 9 - n
    with pytest.raises(LimitReached) as limited:
        submit_answer(user, challenge.id, "flag{x}", now=at(6))
    assert limited.value.retry_at == at(11)
    assert limited.value.message == (
        "You have made 10 attempts at this challenge in the last 10 minutes. "
        "Try again at 12:11:00 UTC (in 5 minutes).")
    assert db.session.scalar(select(func.count(Attempt.id))) == 10  # the refused one is not kept
    with pytest.raises(LimitReached):
        submit_answer(user, challenge.id, "flag{x}", now=at(11) - timedelta(seconds=1))
    assert submit_answer(user, challenge.id, "flag{x}", now=at(11)).correct
    other = make_challenge(competition=ctf, answer="flag{y}")
    assert submit_answer(user, other.id, "flag{y}", now=at(6)).correct  # per challenge


def test_prerequisites_open_a_challenge_only_once_solved(ctf):
    basics = make_challenge(competition=ctf, title="Basics", answer="flag{a}")
    advanced = make_challenge(competition=ctf, title="Advanced", answer="flag{b}",
                              prerequisites=(basics,))
    make_hint(challenge=advanced, text="Use the basics.", cost=10)
    _publish(ctf)
    user = make_user()
    with pytest.raises(PermissionDenied, match="opens once you solve “Basics”"):
        submit_answer(user, advanced.id, "flag{b}", now=at(1))
    with pytest.raises(PermissionDenied):
        unlock_hint(user, advanced.hints[0].id, now=at(1))
    cards = {card.challenge.id: card for card in challenge_list(user, ctf, now=at(1)).cards}
    assert cards[advanced.id].locked_by == ["Basics"]
    assert cards[advanced.id].statement_html is None and cards[advanced.id].hints == []
    submit_answer(user, basics.id, "flag{a}", now=at(2))
    assert submit_answer(user, advanced.id, "flag{b}", now=at(3)).correct
    assert not challenge_list(user, ctf, now=at(4)).cards[1].locked


def test_first_blood_bonuses_go_to_the_first_three_solvers(ctf):
    challenge = make_challenge(competition=ctf, answer="flag{x}", value=100,
                               first_blood="30, 20, 10")
    _publish(ctf)
    users = [make_user() for _ in range(4)]
    results = [submit_answer(user, challenge.id, "flag{x}", now=at(n + 1))
               for n, user in enumerate(users)]
    assert [r.first_blood for r in results] == [1, 2, 3, None]
    assert "First blood" in results[0].message
    assert _scores(ctf) == {users[0].id: 130, users[1].id: 120, users[2].id: 110,
                            users[3].id: 100}


def test_a_dynamic_value_falls_for_everyone_as_solves_grow(ctf):
    challenge = make_challenge(competition=ctf, scoring="dynamic", initial=500, minimum=100,
                               decay=4, answer="flag{x}")
    _publish(ctf)
    solvers = []
    for n in range(6):
        solvers.append(make_user())
        submit_answer(solvers[-1], challenge.id, "flag{x}", now=at(n + 1))
        expected = dynamic_value(500, 100, 4, n + 1)
        assert set(_scores(ctf).values()) == {expected}
        [card] = challenge_list(make_user(), ctf, now=at(n + 1)).cards
        assert (card.value, card.solves) == (expected, n + 1)
    assert [dynamic_value(500, 100, 4, n) for n in range(1, 7)] == [500, 475, 400, 275, 100, 100]


def test_hints_cost_competition_points_once_and_never_site_points(ctf):
    challenge = make_challenge(competition=ctf, answer="flag{x}", value=100)
    paid = make_hint(challenge=challenge, text="It is **x**.", cost=30)
    free = make_hint(challenge=challenge, text="Curly braces.", cost=0)
    _publish(ctf)
    user = make_user()
    card = challenge_list(user, ctf, now=at(1)).cards[0]
    assert [(h.cost, h.unlocked, h.text_html) for h in card.hints] == [(30, False, None),
                                                                      (0, False, None)]
    first = unlock_hint(user, paid.id, now=at(2))
    assert unlock_hint(user, paid.id, now=at(3)).id == first.id  # idempotent
    unlock_hint(user, free.id, now=at(4))
    submit_answer(user, challenge.id, "flag{x}", now=at(5))
    board = get_standings(ctf, make_organiser(), now=at(10))
    assert [(r.score, r.last_improvement_at) for r in board.rows] == [(70, at(5))]
    assert db.session.scalar(select(func.count(HintUnlock.id))) == 2
    assert db.session.scalar(select(func.count(PointTransaction.id))) == 0
    db.session.refresh(user)
    assert user.points == 1
    card = challenge_list(user, ctf, now=at(10)).cards[0]
    assert "<strong>x</strong>" in card.hints[0].text_html and card.solved


def test_challenges_are_hidden_before_the_start_except_from_staff(app):
    ctf = make_challenge_set(challenges=2, starts_at=START, ends_at=END)
    before = challenge_list(make_user(), ctf, now=START - timedelta(seconds=1))
    assert before.cards == [] and before.hidden_until == START
    assert len(challenge_list(make_organiser(), ctf, now=START - timedelta(seconds=1)).cards) == 2
    user = make_user()
    join(user, ctf.id, now=START)
    cards = challenge_list(user, ctf, now=START).cards
    assert [c.statement_html for c in cards] == ["<p>Find the <strong>flag</strong>.</p>\n"] * 2
    assert challenge_list(user, ctf, now=START).categories == ["web"]
