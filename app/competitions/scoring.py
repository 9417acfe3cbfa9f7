"""Points for challenges, scores for predictions, and standings from plain rows."""

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np

from app.competitions.metrics import score


def dynamic_value(initial: int, minimum: int, decay: int, solve_count: int) -> int:
    """A challenge's worth after `solve_count` solves, CTFd's quadratic decay exactly.

    From CTFd/plugins/dynamic_challenges/decay.py (the function CTFd names `logarithmic`,
    though the curve is a parabola): `solve_count` includes the solve being scored, since
    CTFd records the solve before it recalculates, and one is taken off so the first
    solver gets the full `initial`; `decay` is the solve count at which the value reaches
    `minimum`, and a decay of 0 is read as 1. As in CTFd the value is the challenge's
    current worth for everyone who solved it, not a price fixed at each solve.
    """
    decay = decay or 1
    solves = max(solve_count - 1, 0)
    value = math.ceil(((minimum - initial) / decay**2) * solves**2 + initial)
    return max(value, minimum)


def score_prediction(metric_slug: str, truth: np.ndarray, predictions: np.ndarray,
                     public_mask: np.ndarray) -> tuple[float, float]:
    """(public score, private score): the metric on each side of the split.

    The arrays are aligned row by row, as `prediction_file` returns them, and each board
    sees only its own rows, as on Kaggle: the private score stays hidden until the end.
    """
    mask = np.asarray(public_mask, dtype=bool)
    return (score(metric_slug, truth[mask], predictions[mask]),
            score(metric_slug, truth[~mask], predictions[~mask]))


class Entry(NamedTuple):
    """One entrant's best score and when they first reached it; a database row fits."""

    entrant_id: Hashable
    score: float
    reached_at: datetime


@dataclass(frozen=True)
class Standing:
    rank: int
    entrant_id: Hashable
    score: float
    reached_at: datetime


def rank(entries: Iterable[Entry], *, greater_is_better: bool) -> list[Standing]:
    """Standings, best first, ranked 1..n by position.

    Ties on score are broken by who reached the score first, as CTFd's `get_standings`
    does with its solve ids: the earlier entrant ranks higher, so equal scores still get
    different ranks. Entrants equal on both score and time are ordered by entrant id, only
    so the order never changes between two renders.
    """
    rows = [Entry(*entry) for entry in entries]
    if any(math.isnan(row.score) for row in rows):
        raise ValueError("A score is NaN; it cannot be ranked.")
    sign = -1.0 if greater_is_better else 1.0
    rows.sort(key=lambda row: (sign * row.score, row.reached_at, row.entrant_id))
    return [Standing(n, row.entrant_id, row.score, row.reached_at)
            for n, row in enumerate(rows, start=1)]


def movement(public_rank: int, private_rank: int) -> int:
    """Places gained when the private board is revealed: positive moved up, negative down."""
    return public_rank - private_rank
