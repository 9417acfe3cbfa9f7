"""Bounty rules: pure functions over amounts, times and answers."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.gamification import bounty_rules
from app.gamification.bounty_rules import (
    AMOUNTS,
    Candidate,
    age_problem,
    amount_problem,
    expiry_share,
    expiry_winner,
    points_problem,
    remaining_text,
)

START = datetime(2026, 3, 1, 12, 0)
END = START + bounty_rules.DURATION


def test_the_module_is_pure():
    tree = ast.parse(Path(bounty_rules.__file__).read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"dataclasses", "datetime"}


def test_amounts_are_50_to_500_in_steps_of_50():
    assert AMOUNTS == (50, 100, 150, 200, 250, 300, 350, 400, 450, 500)


@pytest.mark.parametrize("amount", AMOUNTS)
def test_every_listed_amount_is_valid(amount):
    assert amount_problem(amount) is None


@pytest.mark.parametrize("amount", [None, 0, 25, 49, 75, 120, 550, 1000, -50])
def test_other_amounts_are_refused_with_the_rule(amount):
    problem = amount_problem(amount)
    assert problem is not None
    if amount is not None:
        assert "50 to 500 points, in steps of 50" in problem


def test_the_offerer_keeps_at_least_the_floor():
    assert points_problem(100, points=101, floor=1) is None
    assert "at most 50" in points_problem(100, points=100, floor=1)
    assert "at most 150" in points_problem(200, points=190, floor=1)


def test_too_few_points_for_the_smallest_bounty():
    assert points_problem(50, points=50, floor=1) == (
        "You have 50 points; a bounty of 50 needs at least 51."
    )


def test_a_question_must_be_48_hours_old():
    assert age_problem(START, START + timedelta(hours=48)) is None
    assert age_problem(START, START + timedelta(days=10)) is None
    problem = age_problem(START, START + timedelta(hours=30))
    assert "48 hours old" in problem and "18 hours" in problem


@pytest.mark.parametrize(("amount", "share"), [(50, 25), (150, 75), (250, 125), (500, 250)])
def test_an_unawarded_bounty_pays_half_rounded_down(amount, share):
    assert expiry_share(amount) == share


def _answer(post_id, *, score, author=10, hours=1):
    return Candidate(post_id, author, score, START + timedelta(hours=hours))


def test_the_highest_scored_answer_written_during_the_bounty_wins():
    answers = [_answer(1, score=3), _answer(2, score=5, hours=2), _answer(3, score=4)]
    assert expiry_winner(answers, offerer_id=99, started_at=START, ends_at=END).post_id == 2


def test_ties_go_to_the_earliest_answer():
    answers = [_answer(2, score=4, hours=5), _answer(1, score=4, hours=2), _answer(3, score=4, hours=9)]
    assert expiry_winner(answers, offerer_id=99, started_at=START, ends_at=END).post_id == 1


def test_a_score_below_2_gets_nothing():
    answers = [_answer(1, score=1), _answer(2, score=0), _answer(3, score=-3)]
    assert expiry_winner(answers, offerer_id=99, started_at=START, ends_at=END) is None
    assert expiry_winner([_answer(1, score=2)], offerer_id=99, started_at=START, ends_at=END).post_id == 1


def test_answers_from_before_or_after_the_bounty_do_not_count():
    before = _answer(1, score=50, hours=-1)
    after = Candidate(2, 10, 50, END + timedelta(seconds=1))
    during = _answer(3, score=2)
    assert expiry_winner([before, after, during], offerer_id=99, started_at=START, ends_at=END).post_id == 3
    assert expiry_winner([before, after], offerer_id=99, started_at=START, ends_at=END) is None


def test_the_offerers_own_answer_never_wins():
    answers = [_answer(1, score=9, author=99), _answer(2, score=2, author=10)]
    assert expiry_winner(answers, offerer_id=99, started_at=START, ends_at=END).post_id == 2
    assert expiry_winner(answers[:1], offerer_id=99, started_at=START, ends_at=END) is None


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=7), "7 days"),
        (timedelta(days=2, hours=23), "2 days"),
        (timedelta(hours=47), "47 hours"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(minutes=90), "1 hour"),
        (timedelta(minutes=59), "59 min"),
        (timedelta(seconds=90), "1 min"),
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(seconds=-5), "less than a minute"),
    ],
)
def test_remaining_text(left, text):
    assert remaining_text(left) == text
