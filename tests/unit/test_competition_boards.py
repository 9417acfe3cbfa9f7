"""The arithmetic of the boards from plain rows: challenge totals, first blood, hint
costs, best public scores, final choices and private scores."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

from app.competitions import boards
from app.competitions.boards import (
    ChallengeRule,
    SolveRow,
    SubmissionRow,
    UnlockRow,
    challenge_totals,
    challenge_values,
    final_choice,
    private_bests,
    public_bests,
)
from app.competitions.scoring import dynamic_value

T0 = datetime(2026, 5, 1, 12, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_the_module_is_pure():
    tree = ast.parse(Path(boards.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert all(not name.startswith(("flask", "sqlalchemy")) for name in imported)
    assert all(not name.startswith("app.") or name.startswith("app.competitions.")
               for name in imported)


def test_static_challenges_are_worth_their_value_and_dynamic_ones_fall_for_everyone():
    static = ChallengeRule(1, "static", 100)
    dynamic = ChallengeRule(2, "dynamic", 500, initial=500, minimum=100, decay=3)
    solves = [SolveRow(u, 2, at(u), u) for u in (10, 11, 12)]
    values = challenge_values([static, dynamic], solves)
    assert values == {1: 100, 2: dynamic_value(500, 100, 3, 3)} == {1: 100, 2: 323}
    totals = challenge_totals([static, dynamic], solves, [])
    assert {u: t.score for u, t in totals.items()} == {10: 323, 11: 323, 12: 323}
    one = challenge_totals([dynamic], solves[:1], [])
    assert one[10].score == 500  # the first solver alone gets the full value


def test_first_blood_goes_by_time_then_by_id():
    rule = ChallengeRule(1, "static", 100, first_blood=(30, 20, 10))
    solves = [SolveRow(20, 1, at(5), 4), SolveRow(21, 1, at(1), 9), SolveRow(22, 1, at(1), 3),
              SolveRow(23, 1, at(9), 5)]
    totals = challenge_totals([rule], solves, [])
    assert {u: t.score for u, t in totals.items()} == {22: 130, 21: 120, 20: 110, 23: 100}


def test_paid_hints_cost_points_and_move_the_time_free_ones_do_not():
    rule = ChallengeRule(1, "static", 100)
    solves = [SolveRow(1, 1, at(10), 1), SolveRow(2, 1, at(10), 2)]
    unlocks = [UnlockRow(1, 25, at(20)), UnlockRow(2, 0, at(30)), UnlockRow(3, 50, at(5))]
    totals = challenge_totals([rule], solves, unlocks)
    assert (totals[1].score, totals[1].reached_at) == (75, at(20))
    assert (totals[2].score, totals[2].reached_at) == (100, at(10))
    assert 3 not in totals  # hints alone put nobody on the board
    assert totals[1].history == [(at(10), 100), (at(20), 75)]
    assert totals[1].entries == 1


def test_solves_of_unknown_challenges_are_ignored():
    totals = challenge_totals([ChallengeRule(1, "static", 50)],
                              [SolveRow(1, 1, at(1), 1), SolveRow(1, 99, at(2), 2)], [])
    assert (totals[1].score, totals[1].reached_at, totals[1].entries) == (50, at(1), 1)


def _sub(id_, user, minutes, public, private, selected=False):
    return SubmissionRow(id_, user, at(minutes), public, private, selected)


def test_the_public_best_is_reached_at_the_first_submission_that_scored_it():
    rows = [_sub(1, 7, 0, 0.5, 0.4), _sub(2, 7, 10, 0.8, 0.6), _sub(3, 7, 20, 0.8, 0.9),
            _sub(4, 7, 30, 0.7, 0.95)]
    best = public_bests(rows, greater_is_better=True)[7]
    assert (best.score, best.reached_at, best.entries) == (0.8, at(10), 4)
    assert best.history == [(at(0), 0.5), (at(10), 0.8)]
    lower = public_bests(rows, greater_is_better=False)[7]
    assert (lower.score, lower.reached_at) == (0.5, at(0))


def test_final_choice_prefers_the_selection_else_the_best_public_ones():
    rows = [_sub(1, 7, 0, 0.9, 0.1), _sub(2, 7, 10, 0.5, 0.99), _sub(3, 7, 20, 0.9, 0.3),
            _sub(4, 7, 30, 0.7, 0.2)]
    assert [r.id for r in final_choice(rows, greater_is_better=True, max_final=2)] == [1, 3]
    assert [r.id for r in final_choice(rows, greater_is_better=False, max_final=2)] == [2, 4]
    chosen = [*rows[:1], rows[1]._replace(selected=True)]
    assert [r.id for r in final_choice(chosen, greater_is_better=True, max_final=2)] == [2]


def test_private_bests_score_only_the_final_choice():
    rows = [_sub(1, 7, 0, 0.9, 0.1), _sub(2, 7, 10, 0.5, 0.99), _sub(3, 7, 20, 0.9, 0.3),
            _sub(4, 8, 5, 0.6, 0.6, selected=True), _sub(5, 8, 6, 0.95, 0.95)]
    totals = private_bests(rows, greater_is_better=True, max_final=2)
    assert (totals[7].score, totals[7].reached_at, totals[7].entries) == (0.3, at(20), 3)
    assert (totals[8].score, totals[8].reached_at) == (0.6, at(5))  # selected beats better
