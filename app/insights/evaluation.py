"""Offline quality of the recommender on a time split: fit on everything before the last
`holdout_days`, then see whether each model's top k holds the threads people went on to
engage with in those days. The hybrid is compared with its parts and a popularity baseline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from app.insights.recommend import ACTIONS, THREAD, Recommender
from app.insights.recommend_blend import RECOMMENDER_WEIGHTS
from app.insights.recommend_metrics import coverage, hit_rate_at_k, ndcg_at_k
from app.insights.recommendation_data import interaction_rows, load

MODELS = {
    "hybrid": RECOMMENDER_WEIGHTS,
    "cf-only": {"cf": 1.0},
    "content-only": {"content": 1.0},
    "popularity": {"popularity": 1.0},
}
MAX_USERS = 5_000   # evenly spaced sample beyond this: the figures settle well before
BLOCK = 500


@dataclass(frozen=True)
class ModelQuality:
    model: str
    hit_rate: float
    ndcg: float
    coverage: float
    users: int


def evaluate_recommendations(as_of: datetime, *, holdout_days: int = 14, k: int = 10,
                             max_users: int = MAX_USERS) -> list[ModelQuality]:
    """HitRate@k, NDCG@k and catalogue coverage per model, for users with held-out threads.

    A held-out thread counts only if it existed at the split (a model could have shown it)
    and the user had not engaged with it before; asking a question is not a hit.
    """
    split = as_of - timedelta(days=holdout_days)
    data = load(split)
    model = Recommender(data.catalogue, data.interactions, len(data.user_ids),
                        interests=data.interests)
    rows, relevant = _held_out(model, data, split, as_of)
    if len(rows) > max_users:
        keep = np.linspace(0, len(rows) - 1, max_users).astype(int)
        rows, relevant = rows[keep], [relevant[i] for i in keep]
    n_threads = int((data.catalogue.kinds[model.targets] == THREAD).sum())
    results = []
    for name, weights in MODELS.items():
        recommended = []
        for start in range(0, len(rows), BLOCK):
            block = rows[start:start + BLOCK]
            picks = model.recommend(block, data.members[block], {THREAD: k},
                                    weights=weights, reasons=False)
            recommended += [[p.item for p in by_kind[THREAD]] for by_kind in picks]
        results.append(ModelQuality(
            name, hit_rate_at_k(recommended, relevant, k), ndcg_at_k(recommended, relevant, k),
            coverage(recommended, n_threads, k), len(rows)))
    return results


def _held_out(model: Recommender, data, split: datetime, as_of: datetime
              ) -> tuple[np.ndarray, list[set[int]]]:
    """User rows with the catalogue threads they newly engaged with after the split."""
    thread_index = {int(item_id): n for n, item_id in enumerate(data.catalogue.ids)
                    if data.catalogue.kinds[n] == THREAD}
    by_user: dict[int, set[int]] = {}
    found, ask = interaction_rows(as_of, since=split), ACTIONS.index("ask")
    for user_id, kind, item_id, action in zip(found.user_ids.tolist(), found.kinds.tolist(),
                                              found.item_ids.tolist(), found.actions.tolist(),
                                              strict=True):
        item = thread_index.get(item_id) if kind == THREAD and action != ask else None
        row = int(np.searchsorted(data.user_ids, user_id))
        if item is None or row >= len(data.user_ids) or data.user_ids[row] != user_id:
            continue
        if model.strongest_action[row, item] == 0:
            by_user.setdefault(row, set()).add(item)
    rows = np.array(sorted(by_user), dtype=np.int64)
    return rows, [by_user[int(r)] for r in rows]
