"""Offline quality of a recommender on held-out interactions. Pure.

`recommended[u]` is user u's ranked list, `relevant[u]` the items they went on to engage
with; relevance is binary, as implicit feedback is.
"""

import math
from collections.abc import Sequence


def hit_rate_at_k(recommended: Sequence[Sequence[int]], relevant: Sequence[set[int]],
                  k: int = 10) -> float:
    """Share of users with at least one held-out item in their first `k`."""
    if not recommended:
        return 0.0
    hits = sum(1 for recs, rel in zip(recommended, relevant, strict=True)
               if rel.intersection(recs[:k]))
    return hits / len(recommended)


def ndcg_at_k(recommended: Sequence[Sequence[int]], relevant: Sequence[set[int]],
              k: int = 10) -> float:
    """Mean normalised discounted cumulative gain: a hit at rank r earns 1/log2(r + 1),
    divided by what putting every held-out item first (up to k) would earn."""
    if not recommended:
        return 0.0
    total = 0.0
    for recs, rel in zip(recommended, relevant, strict=True):
        gain = sum(1 / math.log2(rank + 2) for rank, item in enumerate(recs[:k]) if item in rel)
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(rel), k)))
        total += gain / ideal if ideal else 0.0
    return total / len(recommended)


def coverage(recommended: Sequence[Sequence[int]], catalogue_size: int, k: int = 10) -> float:
    """Share of the recommendable catalogue that appears in anyone's first `k`."""
    if catalogue_size <= 0:
        return 0.0
    shown = {item for recs in recommended for item in recs[:k]}
    return len(shown) / catalogue_size
