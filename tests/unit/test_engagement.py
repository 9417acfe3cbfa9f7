"""Engagement scores, segments, churn risk and personas: pure modules on hand-made inputs."""

import math

import numpy as np
import pytest

from app.insights import churn, engagement, engagement_rules, personas, segments
from app.insights import engagement_rules as rules
from app.insights.engagement import (
    CHANNELS,
    History,
    active_weeks,
    components_at,
    decay_weights,
    engagement_scores,
    idle_days,
)
from app.insights.segments import segment_of
from tests.fixtures.purity import impure_imports

DAYS = 330


def _history(n_users: int, rows: list[tuple[int, int, str, float]], n_days: int = DAYS) -> History:
    """`rows` of (user, age in days, channel, amount)."""
    user, age, channel, amount = zip(*rows, strict=True) if rows else ((), (), (), ())
    return History.from_counts(
        n_users, n_days, np.array(user, np.int64), np.array(age, np.int64),
        np.array([CHANNELS.index(c) for c in channel], np.int64), np.array(amount, np.float64),
    )


@pytest.mark.parametrize("module", [engagement, engagement_rules, segments, churn, personas])
def test_the_modules_are_pure(module):
    allowed = ("app.insights.engagement", "app.insights.engagement_rules")
    assert impure_imports(module, app_allowed=allowed) == []


def test_the_weights_add_up_to_one_and_cover_every_component():
    assert set(rules.WEIGHTS) == set(rules.COMPONENTS)
    assert math.isclose(sum(rules.WEIGHTS.values()), 1.0)


def test_decay_halves_every_half_life_and_ignores_days_after_the_offset():
    assert decay_weights(5, 0, half_life=1).tolist() == [1, 0.5, 0.25, 0.125, 0.0625]
    assert decay_weights(4, 2, half_life=2).tolist() == [0, 0, 1, 0.5 ** 0.5]


def test_one_answer_today_has_known_components_and_score():
    history = _history(1, [(0, 0, "active", 1), (0, 0, "contribution", 1.5)])
    got = components_at(history)[0]
    expected = [1.0, 1 - math.exp(-1 / 6), 1 - math.exp(-1.5 / 4), 0, 0, 0]
    assert got == pytest.approx(expected)
    score = 100 * (0.15 + 0.25 * expected[1] + 0.25 * expected[2])
    assert engagement_scores(components_at(history))[0] == round(score, 1)


def test_a_silent_user_s_score_falls_as_time_passes():
    burst = [("active", 1), ("contribution", 3), ("reception", 4), ("learning", 2),
             ("competing", 1)]
    scores = [
        engagement_scores(components_at(_history(1, [(0, age, c, a) for c, a in burst])))[0]
        for age in (0, 7, 14, 30, 90)
    ]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert scores[-1] < 1


def test_recency_halves_after_one_half_life_and_is_zero_without_activity():
    history = _history(2, [(0, 14, "active", 1)])
    recency = components_at(history)[:, 0]
    assert recency.tolist() == pytest.approx([0.5, 0.0])


def test_reading_the_past_sees_only_what_had_happened():
    history = _history(1, [(0, 3, "active", 1), (0, 10, "active", 1)])
    assert idle_days(history).tolist() == [3]
    assert idle_days(history, 5).tolist() == [5]
    assert idle_days(history, 11).tolist() == [math.inf]


def test_idle_days_with_empty_rows_in_between():
    history = _history(4, [(1, 2, "active", 1), (3, 40, "active", 1), (3, 8, "active", 1)])
    assert idle_days(history).tolist() == [math.inf, 2, math.inf, 8]


def test_active_weeks_count_distinct_weeks():
    history = _history(1, [(0, a, "active", 1) for a in (0, 1, 8, 20, 90)])
    assert active_weeks(history).tolist() == [3]
    # Ten days ago, only ages 20 and 90 had happened: weeks 1 and 11 of the twelve before.
    assert active_weeks(history, offset=10).tolist() == [2]


@pytest.mark.parametrize(
    ("age", "idle", "weeks", "score", "before", "expected"),
    [
        (13.9, math.inf, 0, 0, 0, "new"),
        (14, 0, 12, 80, 80, "loyal"),
        (14, math.inf, 0, 0, 0, "dormant"),
        (100, 30.5, 0, 0, 0, "dormant"),
        (100, 30, 8, 50, 50, "at-risk"),
        (100, 14, 8, 50, 50, "at-risk"),
        (100, 13.9, 8, 50, 50, "loyal"),
        (100, 13.9, 7, 50, 50, "active"),
        (100, 1, 8, 30, 50, "at-risk"),  # fell by exactly 40 %
        (100, 1, 8, 30.5, 50, "loyal"),  # fell by 39 %
        (100, 1, 2, 0, 9.9, "active"),  # a fall from a score too low to watch
        (100, 1, 2, 6, 10, "at-risk"),
    ],
)
def test_segment_rules_at_their_boundaries(age, idle, weeks, score, before, expected):
    got = segment_of(account_age_days=age, idle_days=idle, active_weeks=weeks,
                     score=score, score_before=before)
    assert got == expected


def _population(n_users: int, seed: int = 1) -> tuple[History, np.ndarray]:
    """Users active on random days at their own rate, some of whom stop at some point."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(n_users):
        rate = rng.uniform(0.02, 0.5)
        stop = rng.integers(0, DAYS) if rng.random() < 0.6 else 0
        for age in np.flatnonzero(rng.random(DAYS) < rate):
            if age >= stop:
                rows.append((user, int(age), "active", 1.0))
    return _history(n_users, rows), np.full(n_users, 400.0)


def test_churn_learns_from_past_snapshots_and_measures_itself_on_the_latest():
    history, ages = _population(400)
    training = churn.build_training_set(history, ages)
    assert set(np.unique(training.offset)) == set(churn.snapshot_offsets(DAYS))
    assert min(training.offset) >= rules.CHURN_HORIZON_DAYS
    model = churn.train_churn_model(training)
    assert model.kind == "logistic"
    assert model.training_size == len(training.churned)
    assert model.auc > 0.75
    population = churn.in_population(history, ages)
    risk = churn.predict_risk(model, churn.features_at(history, ages), population,
                              ["dormant"] * len(ages))
    assert ((risk >= 0) & (risk <= 1)).all()
    assert (risk[~population] == rules.RULE_RISK["dormant"]).all()


def test_churn_labels_say_who_stayed_away_for_the_horizon():
    # User 0 comes back 10 days after the snapshot at 35 days ago; user 1 does not.
    history = _history(2, [(0, 40, "active", 1), (0, 25, "active", 1), (1, 40, "active", 1)],
                       n_days=35 + rules.CHURN_LOOKBACK_DAYS)
    training = churn.build_training_set(history, np.array([400.0, 400.0]))
    assert training.offset.tolist() == [35, 35]
    assert training.churned.tolist() == [0, 1]


def test_churn_falls_back_to_the_segments_with_little_history():
    history, ages = _population(5)  # at most 5 x 26 snapshot rows
    model = churn.train_churn_model(churn.build_training_set(history, ages))
    assert model.kind == "rules"
    assert model.auc is None
    assert "training rows" in model.note
    segments_ = ["at-risk", "loyal", "dormant"]
    features = np.zeros((3, len(churn.FEATURES)))
    risk = churn.predict_risk(model, features, np.ones(3, bool), segments_)
    assert risk.tolist() == [rules.RULE_RISK[s] for s in segments_]


def test_churn_falls_back_when_everyone_had_the_same_outcome():
    n = rules.MIN_TRAINING_ROWS
    training = churn.TrainingSet(np.ones((n, len(churn.FEATURES))), np.zeros(n, np.int8),
                                 np.repeat([35, 42], n // 2))
    model = churn.train_churn_model(training)
    assert model.kind == "rules"
    assert "one outcome" in model.note


def test_no_snapshot_fits_a_short_window():
    assert churn.snapshot_offsets(100) == []
    assert churn.snapshot_offsets(35 + 84) == [35]


def _group(rng, n: int, centre: list[float]) -> np.ndarray:
    return np.clip(rng.normal(centre, 0.03, size=(n, len(centre))), 0, 1)


def test_personas_find_and_name_clearly_separated_groups():
    rng = np.random.default_rng(0)
    groups = {
        "contributors": [0.9, 0.8, 0.9, 0.2, 0.0, 0.0],
        "course-focused learners": [0.7, 0.6, 0.0, 0.0, 0.9, 0.0],
        "lurkers": [0.9, 0.7, 0.02, 0.0, 0.02, 0.0],
        "competitors": [0.6, 0.5, 0.0, 0.0, 0.05, 0.9],
    }
    components = np.vstack([_group(rng, 60, centre) for centre in groups.values()])
    scores = engagement_scores(components)
    found = personas.find_personas(components, scores)
    assert len(found.names) == 4
    assert sorted(found.names) == sorted(groups)
    for g, name in enumerate(groups):
        members = found.labels[g * 60:(g + 1) * 60]
        assert {found.names[label] for label in members} == {name}
    assert sum(found.sizes) == 240
    assert found.silhouette > 0.5


def test_personas_need_enough_users():
    assert personas.find_personas(np.zeros((5, 6)), np.zeros(5)) is None


def test_cluster_names_read_the_centre_and_stay_distinct():
    centres = np.array([
        [0.9, 0.8, 0.1, 0.9, 0.0, 0.0],  # well received
        [0.2, 0.1, 0.0, 0.0, 0.0, 0.0],  # barely there
        [0.9, 0.9, 0.5, 0.0, 0.0, 0.0],  # writes a lot
        [0.5, 0.4, 0.3, 0.0, 0.0, 0.0],  # writes some
        [0.4, 0.3, 0.2, 0.0, 0.0, 0.0],  # writes a little
    ])
    names = personas.name_clusters(centres, centres.mean(axis=0), [70, 5, 60, 30, 20])
    assert names == ["valued answerers", "drifting visitors", "core contributors",
                     "regular contributors", "casual contributors"]


def test_many_same_named_clusters_are_numbered():
    centres = np.tile([0.5, 0.5, 0.0, 0.0, 0.0, 0.0], (5, 1))
    names = personas.name_clusters(centres, centres.mean(axis=0), [1, 5, 2, 4, 3])
    assert names == [f"lurkers {rank}" for rank in (5, 1, 4, 2, 3)]

