"""Engagement components and scores from per-user daily sums: pure, no database.

A `History` holds, for each channel, a users x days sparse matrix whose column `a` is the
day `a` days before the run's day. Reading it "as of `offset` days ago" ignores the
columns younger than `offset`, which is how the churn model gets past snapshots from the
same matrices as today's scores.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.insights import engagement_rules as rules

CHANNELS = ("active", "contribution", "reception", "learning", "competing")


@dataclass(frozen=True)
class History:
    channels: dict[str, sparse.csr_matrix]

    @classmethod
    def from_counts(cls, n_users: int, n_days: int, user: np.ndarray, age: np.ndarray,
                    channel: np.ndarray, amount: np.ndarray) -> "History":
        """Sum (user index, age in days, channel index, amount) rows into one matrix per
        channel; the "active" channel becomes 1 on any day with activity."""
        matrices = {}
        for index, name in enumerate(CHANNELS):
            rows = channel == index
            matrix = sparse.csr_matrix(
                (amount[rows].astype(np.float64), (user[rows], age[rows])), shape=(n_users, n_days)
            )
            matrix.sum_duplicates()
            if name == "active":
                matrix.data[:] = 1.0
            matrix.eliminate_zeros()
            matrices[name] = matrix
        return cls(matrices)

    @property
    def n_users(self) -> int:
        return self.channels["active"].shape[0]

    @property
    def n_days(self) -> int:
        return self.channels["active"].shape[1]


def decay_weights(n_days: int, offset: int, half_life: float = rules.HALF_LIFE_DAYS) -> np.ndarray:
    """The weight of each age column as seen `offset` days ago: 0 for days after it."""
    ages = np.arange(n_days) - offset
    return np.where(ages >= 0, 0.5 ** (np.maximum(ages, 0) / half_life), 0.0)


def idle_days(history: History, offset: int = 0) -> np.ndarray:
    """Days from each user's last activity to `offset` days ago; inf with none in the window."""
    active = history.channels["active"]
    ages = np.where(active.indices >= offset, active.indices, np.inf)
    idle = np.full(history.n_users, np.inf)
    has = np.diff(active.indptr) > 0
    if has.any():
        idle[has] = np.minimum.reduceat(ages, active.indptr[:-1][has]) - offset
    return idle


def active_weeks(history: History, offset: int = 0,
                 weeks: int = rules.LOYAL_WINDOW_WEEKS) -> np.ndarray:
    """How many of the `weeks` seven-day spans before `offset` days ago had activity."""
    active = history.channels["active"].tocoo()
    inside = (active.col >= offset) & (active.col < offset + 7 * weeks)
    week = (active.col[inside] - offset) // 7
    flags = sparse.csr_matrix(
        (np.ones(inside.sum()), (active.row[inside], week)), shape=(history.n_users, weeks)
    )
    flags.sum_duplicates()
    return np.diff(flags.indptr)


def saturate(amount: np.ndarray, scale: float) -> np.ndarray:
    return 1.0 - np.exp(-np.asarray(amount, dtype=np.float64) / scale)


def components_at(history: History, offset: int = 0,
                  half_life: float = rules.HALF_LIFE_DAYS) -> np.ndarray:
    """The users x 6 components (`rules.COMPONENTS` order) as of `offset` days ago."""
    weights = decay_weights(history.n_days, offset, half_life)
    idle = idle_days(history, offset)
    seen = np.isfinite(idle)
    recency = np.zeros(history.n_users)
    recency[seen] = 0.5 ** (idle[seen] / half_life)
    columns = [recency]
    for name in rules.COMPONENTS[1:]:
        channel = "active" if name == "frequency" else name
        decayed = history.channels[channel] @ weights
        columns.append(saturate(decayed, rules.SATURATION[name]))
    return np.column_stack(columns)


def engagement_scores(components: np.ndarray) -> np.ndarray:
    """0-100: the weighted sum of the components, rounded to one decimal."""
    weights = np.array([rules.WEIGHTS[name] for name in rules.COMPONENTS])
    return np.round(100.0 * components @ weights, 1)
