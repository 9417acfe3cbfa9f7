"""Contest metrics: each equals scikit-learn's own function on the same data."""

import math

import numpy as np
import pytest
from sklearn import metrics as sk

from app.competitions.metrics import KINDS, METRICS, MetricError, get_metric, score

SEEDS = [0, 1, 2, 3, 42]


def _same(ours: float, theirs: float) -> bool:
    return bool(np.isclose(ours, theirs, rtol=0, atol=1e-12))


@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_and_macro_f1_equal_sklearn_on_int_and_string_labels(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, 500)
    y_pred = np.where(rng.random(500) < 0.6, y_true, rng.integers(0, 4, 500))
    strings = np.array(["cat", "dog", "eel", "fox"])
    for t, p in ((y_true, y_pred), (strings[y_true], strings[y_pred])):
        assert score("accuracy", t, p) == sk.accuracy_score(t, p)
        assert _same(score("macro_f1", t, p), sk.f1_score(t, p, average="macro"))


@pytest.mark.parametrize("seed", SEEDS)
def test_probability_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, 1000)
    y_prob = np.clip(y_true * 0.3 + rng.random(1000) * 0.7, 0, 1)
    assert _same(score("roc_auc", y_true, y_prob), sk.roc_auc_score(y_true, y_prob))
    assert _same(score("log_loss", y_true, y_prob), sk.log_loss(y_true, y_prob))


@pytest.mark.parametrize("seed", SEEDS)
def test_regression_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(50, 10, 1000)
    y_pred = y_true + rng.normal(0, 3, 1000)
    assert _same(score("rmse", y_true, y_pred), math.sqrt(sk.mean_squared_error(y_true, y_pred)))
    assert _same(score("mae", y_true, y_pred), sk.mean_absolute_error(y_true, y_pred))


def test_log_loss_clips_certain_mistakes_as_sklearn_does():
    y_true, y_prob = np.array([1, 0, 1, 0]), np.array([0.0, 1.0, 1.0, 0.0])
    ours = score("log_loss", y_true, y_prob)
    assert math.isfinite(ours)
    assert _same(ours, sk.log_loss(y_true, y_prob))


def test_log_loss_on_a_subset_with_one_class_is_still_defined():
    y_true, y_prob = np.array([1, 1, 1]), np.array([0.9, 0.8, 0.6])
    assert _same(score("log_loss", y_true, y_prob), sk.log_loss(y_true, y_prob, labels=[0, 1]))


def test_labels_compare_as_strings_so_csv_text_matches_ints():
    assert score("accuracy", np.array([1, 2, 3]), np.array(["1", "2", "4"])) == 2 / 3


def test_roc_auc_with_one_class_is_a_clear_error():
    with pytest.raises(MetricError, match="both classes"):
        score("roc_auc", np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9]))


@pytest.mark.parametrize(
    ("slug", "y_true", "y_pred", "message"),
    [
        ("rmse", [1.0, 2.0], [1.0], "same length"),
        ("mae", [], [], "no rows"),
        ("rmse", [1.0, float("nan")], [1.0, 2.0], "finite"),
        ("log_loss", [0.0, 2.0], [0.5, 0.5], "0 or 1"),
        ("roc_auc", [0.0, 1.0], [0.5, 1.5], "between 0 and 1"),
        ("mae", ["a", "b"], [1.0, 2.0], "number"),
    ],
)
def test_impossible_inputs_raise_metric_error(slug, y_true, y_pred, message):
    with pytest.raises(MetricError, match=message):
        score(slug, np.array(y_true), np.array(y_pred))


def test_an_unknown_metric_names_the_choices():
    with pytest.raises(MetricError, match="accuracy"):
        get_metric("f2")


def test_the_registry_describes_each_metric():
    assert set(METRICS) == {"accuracy", "macro_f1", "roc_auc", "log_loss", "rmse", "mae"}
    for slug, metric in METRICS.items():
        assert metric.slug == slug
        assert metric.kind in KINDS
        assert metric.version.startswith(f"{slug}-")
    assert [m.slug for m in METRICS.values() if not m.greater_is_better] == [
        "log_loss", "rmse", "mae"]
