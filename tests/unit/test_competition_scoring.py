"""Challenge values, public/private scores, standings and movement; and the modules' purity."""

import math
from datetime import datetime, timedelta

import numpy as np
import pytest
from sklearn import metrics as sk

from app.competitions import answers, metrics, prediction_file, scoring, split
from app.competitions.scoring import (
    Entry,
    dynamic_value,
    movement,
    rank,
    score_prediction,
)
from tests.fixtures.purity import impure_imports

T0 = datetime(2026, 5, 1, 12, 0)


@pytest.mark.parametrize("module", [answers, metrics, prediction_file, scoring, split])
def test_the_module_imports_nothing_from_flask_sqlalchemy_or_the_app(module):
    assert impure_imports(module, app_allowed=("app.competitions.",)) == []


def _ctfd(initial, minimum, decay, solve_count):
    """CTFd's decay.py `logarithmic` (the quadratic curve), transcribed as a reference."""
    if solve_count != 0:
        solve_count -= 1
    if decay == 0:
        decay = 1
    value = math.ceil((((minimum - initial) / (decay**2)) * (solve_count**2)) + initial)
    return max(value, minimum)


@pytest.mark.parametrize(
    ("solves", "value"),
    [(0, 500), (1, 500), (2, 500), (5, 495), (11, 467), (21, 367), (30, 220), (31, 200),
     (32, 200), (1000, 200)],
)
def test_dynamic_value_at_several_solve_counts(solves, value):
    # initial 500, minimum 200, decay 30: value = ceil(500 - (solves - 1)**2 / 3); the
    # count includes the solver, so the 31st solve brings it down to the minimum
    assert dynamic_value(500, 200, 30, solves) == value


def test_the_first_solver_gets_the_full_value():
    assert dynamic_value(1000, 100, 50, 1) == 1000


@pytest.mark.parametrize("initial,minimum,decay", [(500, 100, 20), (100, 10, 1), (300, 50, 0),
                                                   (101, 7, 13)])
def test_dynamic_value_matches_ctfd_for_every_count(initial, minimum, decay):
    for solves in range(60):
        assert dynamic_value(initial, minimum, decay, solves) == _ctfd(
            initial, minimum, decay, solves)


def test_public_and_private_scores_use_only_their_rows():
    truth = np.array([1, 0, 1, 0, 1, 0], dtype=float)
    pred = np.array([0.9, 0.2, 0.4, 0.6, 0.8, 0.1])
    mask = np.array([True, True, True, False, False, False])
    public, private = score_prediction("log_loss", truth, pred, mask)
    assert public == pytest.approx(sk.log_loss(truth[:3], pred[:3]), abs=1e-12)
    assert private == pytest.approx(sk.log_loss(truth[3:], pred[3:]), abs=1e-12)


def test_ranks_follow_the_score_then_the_earlier_time():
    entries = [
        Entry("late", 0.9, T0 + timedelta(hours=2)),
        Entry("best", 0.95, T0 + timedelta(hours=5)),
        Entry("early", 0.9, T0),
        Entry("last", 0.1, T0),
    ]
    standings = rank(entries, greater_is_better=True)
    assert [(s.rank, s.entrant_id) for s in standings] == [
        (1, "best"), (2, "early"), (3, "late"), (4, "last")]


def test_lower_is_better_metrics_rank_the_smallest_first():
    standings = rank([(1, 0.5, T0), (2, 0.2, T0), (3, 0.9, T0)], greater_is_better=False)
    assert [s.entrant_id for s in standings] == [2, 1, 3]


def test_exact_ties_on_score_and_time_order_by_id():
    entries = [(9, 1.0, T0), (3, 1.0, T0), (5, 1.0, T0)]
    assert [s.entrant_id for s in rank(entries, greater_is_better=True)] == [3, 5, 9]
    assert [s.rank for s in rank(entries, greater_is_better=True)] == [1, 2, 3]


def test_no_entries_no_standings():
    assert rank([], greater_is_better=True) == []


def test_a_nan_score_cannot_be_ranked():
    with pytest.raises(ValueError):
        rank([(1, float("nan"), T0)], greater_is_better=True)


def test_movement_is_places_gained():
    assert movement(public_rank=7, private_rank=2) == 5
    assert movement(public_rank=2, private_rank=7) == -5
    assert movement(public_rank=3, private_rank=3) == 0

