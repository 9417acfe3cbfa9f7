"""Data for the leaderboard benchmark: many users, a big points ledger, tagged posts.

Written straight into the tables with bulk inserts (COPY on PostgreSQL), not through the
services: a million awards through the ledger would take hours and measure the wrong
thing. The shape is what the boards care about: people joined over three years (so
about 8% are "rising"), activity is skewed (a few people earn most of the points), each
ledger row falls between its owner's sign-up and now, vote and accept rows point at
posts in tagged threads, and a few users are hidden, suspended or deleted.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam

from app.accounts.models import User
from app.forum.models import Category, Post, Tag, Thread, thread_tags
from app.gamification.models import PointTransaction
from bench.bulk import analyze, insert_rows

HISTORY = timedelta(days=3 * 365)

# (reason, delta, share of rows, points at a post?)
REASONS = (
    ("answer_upvoted", 10, 0.45, True),
    ("question_upvoted", 5, 0.20, True),
    ("daily_activity", 1, 0.20, False),
    ("post_downvoted", -2, 0.08, True),
    ("answer_accepted", 15, 0.05, True),
    ("streak", 10, 0.02, False),
)


@dataclass(frozen=True)
class Sizes:
    users: int = 100_000
    rows: int = 1_000_000
    tags: int = 40
    threads: int = 20_000
    answers_per_thread: int = 3


@dataclass(frozen=True)
class Generated:
    users: int
    rows: int
    posts: int
    busiest_tag: str  # the tag with the most threads, for the tag board
    middle_user_id: int  # someone mid-way down the 30-day board, to view it signed in


def generate(connection: Connection, sizes: Sizes, *, now: datetime, seed: int = 7) -> Generated:
    """Fill an empty schema and ANALYZE it, as a live database has planner statistics."""
    rng = random.Random(seed)
    joined = sorted(now - HISTORY * rng.random() for _ in range(sizes.users))
    insert_rows(connection, Category.__table__, [{"id": 1, "name": "General", "slug": "general",
                                              "created_at": now - HISTORY}])
    unlisted: set[int] = set()
    insert_rows(connection, User.__table__, _users(rng, joined, unlisted))
    tag_names = [f"tag{n:02d}" for n in range(1, sizes.tags + 1)]
    insert_rows(connection, Tag.__table__,
            [{"id": n, "name": name, "created_at": now - HISTORY} for n, name in enumerate(tag_names, 1)])
    thread_tag_ids = [1 + min(int(rng.expovariate(0.15)), sizes.tags - 1) for _ in range(sizes.threads)]
    posts = _threads_and_posts(connection, rng, sizes, joined, thread_tag_ids, now)
    points, month = _ledger(connection, rng, sizes, joined, posts, now)
    _set_totals(connection, points)
    analyze(connection)
    ranked = [u for u in sorted(month, key=month.get, reverse=True) if month[u] > 0 and u not in unlisted]
    busiest = max(set(thread_tag_ids), key=thread_tag_ids.count)
    return Generated(users=sizes.users, rows=sizes.rows, posts=len(posts),
                     busiest_tag=tag_names[busiest - 1], middle_user_id=ranked[len(ranked) // 2])


def _users(rng: random.Random, joined: list[datetime], unlisted: set[int]) -> Iterator[dict]:
    """Users in sign-up order; 1% hidden, 0.5% suspended, 0.5% deleted (into `unlisted`)."""
    for n, created in enumerate(joined, 1):
        roll = rng.random()
        if roll < 0.02:
            unlisted.add(n)
        yield {
            "id": n, "username": f"member{n}", "username_key": f"member{n}",
            "email": f"member{n}@bench.invalid", "password_hash": "!", "display_name": "",
            "bio": "", "bio_html": "", "role": "member", "timezone": "UTC",
            "points": 1,
            "hide_from_leaderboards": roll < 0.01,
            "suspended_until": created + HISTORY if 0.01 <= roll < 0.015 else None,
            "deleted_at": created + timedelta(days=1) if 0.015 <= roll < 0.02 else None,
            "created_at": created, "last_seen_at": created,
        }


def _threads_and_posts(connection, rng, sizes: Sizes, joined, tag_ids, now) -> list[int]:
    threads, links, posts = [], [], []
    post_id = 0
    for thread_id, tag_id in enumerate(tag_ids, 1):
        author = rng.randrange(len(joined))
        asked = joined[author] + (now - joined[author]) * rng.random()
        threads.append({"id": thread_id, "kind": "question", "title": f"Question {thread_id}",
                        "slug": f"question-{thread_id}", "category_id": 1, "author_id": author + 1,
                        "score": 0, "reply_count": sizes.answers_per_thread, "view_count": 0,
                        "created_at": asked, "last_activity_at": asked})
        links.append({"thread_id": thread_id, "tag_id": tag_id})
        for n in range(sizes.answers_per_thread + 1):
            post_id += 1
            posts.append({"id": post_id, "thread_id": thread_id,
                          "author_id": rng.randrange(len(joined)) + 1 if n else author + 1,
                          "is_first": n == 0, "body": "Bench post.", "body_html": "<p>Bench post.</p>",
                          "score": 0, "revision_count": 1, "created_at": asked})
    insert_rows(connection, Thread.__table__, threads)
    insert_rows(connection, thread_tags, links)
    insert_rows(connection, Post.__table__, posts)
    return [p["id"] for p in posts]


def _ledger(connection, rng, sizes: Sizes, joined, posts: list[int], now):
    """Insert the rows; returns each user's sum, all time and over 30 days.
    Owners are skewed: the owner's index is n * u**3 for a uniform u."""
    weights = [r[2] for r in REASONS]
    order = list(range(1, sizes.users + 1))
    rng.shuffle(order)  # activity does not follow sign-up order
    sums: dict[int, int] = {}
    month: dict[int, int] = {}
    month_start = now - timedelta(days=30)

    def rows() -> Iterator[dict]:
        for n in range(sizes.rows):
            user_id = order[int(sizes.users * rng.random() ** 3)]
            start = joined[user_id - 1]
            reason, delta, _, on_post = rng.choices(REASONS, weights)[0]
            at = start + (now - start) * rng.random()
            sums[user_id] = sums.get(user_id, 0) + delta
            if at >= month_start:
                month[user_id] = month.get(user_id, 0) + delta
            yield {"id": n + 1, "user_id": user_id, "delta": delta, "requested": delta,
                   "reason": reason, "subject_type": "post" if on_post else None,
                   "subject_id": rng.choice(posts) if on_post else None,
                   "actor_id": None, "key": f"bench:{n + 1}", "reverses_id": None,
                   "created_at": at}

    insert_rows(connection, PointTransaction.__table__, rows())
    return sums, month


def _set_totals(connection, points: dict[int, int]) -> None:
    """Cache each total as the ledger invariant says: 1 + the sum (floor ignored here)."""
    connection.execute(
        User.__table__.update().where(User.__table__.c.id == bindparam("uid"))
        .values(points=bindparam("total")),
        [{"uid": uid, "total": 1 + total} for uid, total in points.items()],
    )
