"""Metrics for prediction contests: scikit-learn's own numbers, behind one registry.

Each metric calls scikit-learn so a score on our board is the score an entrant gets at
home with `sklearn.metrics`. `score` coerces the arrays to the metric's kind first:
labels compare as strings (a CSV holds "1", not 1), probabilities and regression targets
as floats. Probability metrics are binary: the truth is 0 or 1 and a prediction is the
probability of class 1. A metric's `version` names its formula, so a stored score can
say which one produced it if a formula ever changes.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn import metrics as sk

Kind = Literal["label", "probability", "regression"]
KINDS: tuple[Kind, ...] = ("label", "probability", "regression")


class MetricError(ValueError):
    """The metric is not defined for these inputs; the message says why, for a person."""


@dataclass(frozen=True)
class Metric:
    slug: str
    label: str
    greater_is_better: bool
    kind: Kind
    version: str
    fn: Callable[[np.ndarray, np.ndarray], float]


def _accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(sk.accuracy_score(y_true, y_pred))


def _macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    # sklearn averages over the union of true and predicted labels, so a predicted label
    # that never occurs in the truth counts as a class with F1 0.
    return float(sk.f1_score(y_true, y_pred, average="macro"))


def _roc_auc(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    if np.unique(y_true).size < 2:
        raise MetricError("ROC AUC needs both classes (0 and 1) among the rows scored; "
                          "these rows hold only one.")
    return float(sk.roc_auc_score(y_true, y_pred))


def _log_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    # labels=[0, 1] keeps the loss defined on a subset holding one class; with both
    # classes present it changes nothing. sklearn clips y_pred to [eps, 1 - eps].
    return float(sk.log_loss(y_true, y_pred, labels=[0.0, 1.0]))


def _rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return math.sqrt(sk.mean_squared_error(y_true, y_pred))


def _mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(sk.mean_absolute_error(y_true, y_pred))


METRICS: dict[str, Metric] = {
    m.slug: m
    for m in (
        Metric("accuracy", "Accuracy", True, "label", "accuracy-1", _accuracy),
        Metric("macro_f1", "Macro F1", True, "label", "macro_f1-1", _macro_f1),
        Metric("roc_auc", "ROC AUC", True, "probability", "roc_auc-1", _roc_auc),
        Metric("log_loss", "Log loss", False, "probability", "log_loss-1", _log_loss),
        Metric("rmse", "RMSE", False, "regression", "rmse-1", _rmse),
        Metric("mae", "MAE", False, "regression", "mae-1", _mae),
    )
}


def get_metric(slug: str) -> Metric:
    try:
        return METRICS[slug]
    except KeyError:
        raise MetricError(f'There is no metric "{slug}"; choose one of '
                          f"{', '.join(METRICS)}.") from None


def score(metric_slug: str, y_true, y_pred) -> float:
    """The metric over aligned arrays, after checks that turn sklearn's errors into ours."""
    metric = get_metric(metric_slug)
    y_true, y_pred = _coerce(metric.kind, y_true), _coerce(metric.kind, y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise MetricError(f"{y_true.size} true values but {y_pred.size} predictions; "
                          "they must be two flat arrays of the same length.")
    if y_true.size == 0:
        raise MetricError("There are no rows to score.")
    finite = metric.kind == "label" or (np.isfinite(y_true).all() and np.isfinite(y_pred).all())
    if not finite:
        raise MetricError("Every value must be a finite number (no NaN or infinity).")
    if metric.kind == "probability":
        if not np.isin(y_true, (0.0, 1.0)).all():
            raise MetricError(f"{metric.label} needs true values of 0 or 1.")
        if y_pred.min() < 0.0 or y_pred.max() > 1.0:
            raise MetricError(f"{metric.label} needs probabilities between 0 and 1.")
    return metric.fn(y_true, y_pred)


def _coerce(kind: Kind, values) -> np.ndarray:
    """Labels as strings and everything else as float64, without copying what already is."""
    if kind == "label":
        values = np.asarray(values)
        return values if values.dtype.kind == "U" else values.astype(str)
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise MetricError(f"Every value must be a number ({error}).") from None
