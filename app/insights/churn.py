"""Churn risk: a logistic regression on past weekly snapshots, or the segment rules when
history is too thin to learn from. Pure: takes a `History`, returns arrays."""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from app.insights import engagement_rules as rules
from app.insights.engagement import History, active_weeks, components_at, idle_days

FEATURES = (*rules.COMPONENTS, "active_weeks", "log_account_age")


@dataclass(frozen=True)
class TrainingSet:
    features: np.ndarray
    churned: np.ndarray  # 1: no activity in the horizon after the snapshot
    offset: np.ndarray  # the row's snapshot, in days before today (larger is older)


@dataclass(frozen=True)
class ChurnModel:
    kind: str  # "logistic" or "rules"
    training_size: int
    auc: float | None
    note: str
    pipeline: Pipeline | None = None


def snapshot_offsets(n_days: int) -> list[int]:
    """Week-aligned days back whose outcome is known and whose lookback fits the window."""
    every = rules.SNAPSHOT_EVERY_DAYS
    first = math.ceil(rules.CHURN_HORIZON_DAYS / every) * every
    offsets = (first + every * j for j in range(rules.CHURN_SNAPSHOTS))
    return [o for o in offsets if o + rules.CHURN_LOOKBACK_DAYS <= n_days]


def features_at(history: History, account_age_days: np.ndarray, offset: int = 0) -> np.ndarray:
    """The model's inputs (`FEATURES` order) for every user as of `offset` days ago."""
    weeks = active_weeks(history, offset) / rules.LOYAL_WINDOW_WEEKS
    age = np.log1p(np.maximum(np.asarray(account_age_days, dtype=np.float64) - offset, 0))
    return np.column_stack([components_at(history, offset), weeks, age])


def in_population(history: History, account_age_days: np.ndarray, offset: int = 0) -> np.ndarray:
    """Who the model learns from and scores: accounts that existed and were active in the
    horizon before the snapshot (everyone else is new-and-silent or already dormant)."""
    existed = np.asarray(account_age_days) >= offset
    return existed & (idle_days(history, offset) <= rules.CHURN_HORIZON_DAYS)


def build_training_set(history: History, account_age_days: np.ndarray) -> TrainingSet:
    """One row per (snapshot, user in the population then); label from the days after."""
    horizon = rules.CHURN_HORIZON_DAYS
    active = history.channels["active"]
    parts = []
    for offset in snapshot_offsets(history.n_days):
        rows = in_population(history, account_age_days, offset)
        returned = active[:, offset - horizon:offset].getnnz(axis=1) > 0
        features = features_at(history, account_age_days, offset)[rows]
        parts.append((features, (~returned[rows]).astype(np.int8), np.full(rows.sum(), offset)))
    if not parts:
        return TrainingSet(np.empty((0, len(FEATURES))), np.empty(0, np.int8), np.empty(0, int))
    features, churned, offsets = (np.concatenate(column) for column in zip(*parts, strict=True))
    return TrainingSet(features, churned, offsets)


def train_churn_model(training: TrainingSet) -> ChurnModel:
    """Fit on older snapshots, measure ROC AUC on the most recent ones (`HOLDOUT_SHARE`),
    then refit on all rows for today's predictions; fall back to rules when the data
    cannot support that, with the reason in the note."""
    size = len(training.churned)
    if size < rules.MIN_TRAINING_ROWS:
        return _rules(size, f"only {size} training rows "
                            f"(at least {rules.MIN_TRAINING_ROWS} needed)")
    if size > rules.MAX_TRAINING_ROWS:
        keep = np.random.default_rng(rules.RANDOM_STATE).choice(
            size, rules.MAX_TRAINING_ROWS, replace=False)
        training = TrainingSet(training.features[keep], training.churned[keep],
                               training.offset[keep])
        size = rules.MAX_TRAINING_ROWS
    snapshots = np.unique(training.offset)
    if len(snapshots) < 2:
        return _rules(size, "one snapshot only: no time-based hold-out to measure a model on")
    held = snapshots[: max(1, round(len(snapshots) * rules.HOLDOUT_SHARE))]
    test = np.isin(training.offset, held)
    for name, part in (("training", ~test), ("hold-out", test), ("all", slice(None))):
        if len(np.unique(training.churned[part])) < 2:
            return _rules(size, f"the {name} snapshots hold one outcome only")
    pipeline = _pipeline().fit(training.features[~test], training.churned[~test])
    predicted = pipeline.predict_proba(training.features[test])[:, 1]
    auc = float(roc_auc_score(training.churned[test], predicted))
    pipeline = _pipeline().fit(training.features, training.churned)
    note = (f"logistic regression on {size} rows from {len(snapshots)} weekly snapshots; "
            f"ROC AUC {auc:.3f} on the latest {len(held)} held out")
    return ChurnModel("logistic", size, auc, note, pipeline)


def predict_risk(model: ChurnModel, features: np.ndarray, population: np.ndarray,
                 segments: list[str]) -> np.ndarray:
    """The probability of churning for the model's population; everyone else, and
    everyone under the rules, gets their segment's rule risk."""
    risk = np.array([rules.RULE_RISK[segment] for segment in segments], dtype=np.float64)
    if model.pipeline is not None and population.any():
        risk[population] = model.pipeline.predict_proba(features[population])[:, 1]
    return risk


def _pipeline() -> Pipeline:
    return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])


def _rules(size: int, why: str) -> ChurnModel:
    return ChurnModel("rules", size, None, f"{why}; risk follows the segment rules")
