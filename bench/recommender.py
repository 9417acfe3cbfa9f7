"""How long does the recommender take, and how much memory, at the target scale?

    python -m bench.recommender [--users 100000] [--threads 200000] [--rows 3000000]
                                [--active 20000]

Times the pure part of a recommendations run on seeded synthetic data (people with a
topic each, Zipf-popular threads, texts drawn from per-topic vocabularies): fitting
(item neighbours, TF-IDF), picks with reasons for every active user, and the "Related"
lists; prints each step and the peak resident memory. `--rows` is (user, item, action)
rows after the SQL grouping, which is what 5,000,000 raw events shrink to.
"""

import argparse
import resource
import time

import numpy as np
from scipy import sparse

from app.insights.recommend import (
    ACTIONS,
    COURSE,
    THREAD,
    Catalogue,
    Interactions,
    Recommender,
    related,
)

TOPICS = 40
COURSES = 300


def synthetic(users: int, threads: int, rows: int, seed: int) -> tuple[Catalogue, Interactions]:
    rng = np.random.default_rng(seed)
    items = threads + COURSES
    topic_of_item = rng.integers(0, TOPICS, items)
    topic_of_user = rng.integers(0, TOPICS, users)
    words = [[f"t{t}w{w}" for w in range(300)] for t in range(TOPICS)]
    common = [f"common{w}" for w in range(2000)]
    texts = [" ".join(rng.choice(words[topic_of_item[i]], 40).tolist()
                      + rng.choice(common, 40).tolist()) for i in range(items)]
    by_topic = [np.flatnonzero(topic_of_item == t) for t in range(TOPICS)]
    user = rng.integers(0, users, rows)
    same_topic = rng.random(rows) < 0.7
    zipf = np.minimum(rng.zipf(1.3, rows) - 1, items - 1)
    item = np.where(same_topic, 0, zipf)
    for t in range(TOPICS):
        pick = same_topic & (topic_of_user[user] == t)
        pool = by_topic[t]
        item[pick] = pool[np.minimum(rng.zipf(1.3, pick.sum()) - 1, len(pool) - 1)]
    kinds = np.array([THREAD] * threads + [COURSE] * COURSES, dtype=np.int8)
    age = rng.exponential(200, items).astype(np.float32)
    candidate = (age < 30) | (rng.random(items) < 0.01) | (kinds == COURSE)
    tags = sparse.csr_matrix((np.ones(items), (np.arange(items), topic_of_item)),
                             shape=(items, TOPICS))
    catalogue = Catalogue(
        kinds=kinds, ids=np.arange(items), titles=[f"Item {i}" for i in range(items)],
        texts=texts, tags=tags, tag_names=[f"topic{t}" for t in range(TOPICS)],
        candidate=candidate, member_only=rng.random(items) < 0.05, age_days=age)
    interactions = Interactions(
        users=user, items=item, actions=rng.integers(0, len(ACTIONS), rows),
        counts=rng.integers(1, 4, rows).astype(np.float32),
        age_days=rng.exponential(90, rows).astype(np.float32))
    return catalogue, interactions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--active", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    catalogue, interactions = synthetic(args.users, args.threads, args.rows, args.seed)
    steps = {"synthetic data": time.perf_counter() - started}
    mark = time.perf_counter()
    model = Recommender(catalogue, interactions, args.users)
    steps["fit (neighbours, TF-IDF, popularity)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    active = np.random.default_rng(args.seed).choice(args.users, args.active, replace=False)
    members = np.zeros(args.users, dtype=bool)
    picks = 0
    for start in range(0, len(active), 500):
        block = active[start:start + 500]
        for by_kind in model.recommend(block, members[block], {THREAD: 30, COURSE: 10}):
            picks += sum(len(p) for p in by_kind.values())
    steps[f"picks with reasons, {args.active:,} users"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pairs = len(related(model, THREAD, 10)) + len(related(model, COURSE, 10))
    steps[f"related ({int(catalogue.candidate.sum()):,} candidates)"] = time.perf_counter() - mark
    for name, seconds in steps.items():
        print(f"{name:<45}{seconds:>8.1f} s")
    print(f"{'total (without data)':<45}{sum(steps.values()) - steps['synthetic data']:>8.1f} s")
    print(f"picks {picks:,}, related pairs {pairs:,}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
