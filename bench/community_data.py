"""Data for the insights jobs' benchmark: a Q&A community two years old.

    python -m bench.community_data --database-url URL [--scale 0.1] [--seed 7]

Written straight into the tables with bulk inserts (COPY on PostgreSQL), as
`bench.leaderboard_data` does. The shape is what the jobs care about:

- activity is skewed (each person's weight is Pareto-distributed: a few people do most
  things, most people lurk) and clusters in time: each person is active in one window
  that starts after sign-up and, for most, ends well before now (churn);
- people have one to three home tags, mostly of one tag family, and ask, answer, view
  and vote mostly there, so the communities job has clusters to find;
- the event log agrees with the tables: one "ask" per thread at its creation, one
  "answer" or "reply" per non-first post at its time by its author, one "accept" per
  accepted answer, votes and views only on threads and posts that existed then, lesson
  completions only after enrolling; sessions open with a "login".

Everything is drawn with numpy from one seed and kept as arrays (a few hundred MB at
full size); rows are built and written 20,000 at a time.
"""

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, inspect, make_url, text

from bench.bulk import analyze, reset_sequences
from bench.community_draw import DAY, EVENT_TYPES, HISTORY, Sizes, draw
from bench.community_rows import write

__all__ = ["Generated", "Sizes", "generate"]


@dataclass(frozen=True)
class Generated:
    users: int
    threads: int
    posts: int
    events: int
    tags: int
    courses: int
    lessons: int
    active_users: int  # not deleted, with an event in the 30 days before `now`
    event_types: dict[str, int]


def generate(connection: Connection, sizes: Sizes, *, now: datetime, seed: int = 7) -> Generated:
    """Fill an empty schema and ANALYZE it, as a live database has planner statistics.
    The id sequences move past the rows written, so the app can add its own afterwards."""
    community = draw(sizes, seed=seed)
    deleted = write(connection, community, start=now - HISTORY, seed=seed)
    reset_sequences(connection)
    analyze(connection)
    events = community.events
    recent = community.last_event >= HISTORY.total_seconds() - 30 * DAY
    recent[deleted] = False
    counts = np.bincount(events["type"], minlength=len(EVENT_TYPES))
    return Generated(
        users=sizes.users, threads=sizes.threads, posts=sizes.posts,
        events=len(events["time"]), tags=len(community.tags.names), courses=sizes.courses,
        lessons=sizes.courses * sizes.lessons_per_course, active_users=int(recent.sum()),
        event_types={name: int(n) for name, n in zip(EVENT_TYPES, counts, strict=True) if n},
    )


# --- command line ----------------------------------------------------------------------

def _size_of(connection: Connection, url: str) -> int:
    if connection.dialect.name == "postgresql":
        return connection.scalar(text("SELECT pg_database_size(current_database())"))
    return Path(make_url(url).database).stat().st_size


def main(argv: list[str] | None = None) -> int:
    from app import create_app
    from app.extensions import db
    from app.timeutil import utcnow

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a scratch database")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 users")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = Sizes().scaled(args.scale) if args.scale != 1.0 else Sizes()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "MAIL_SERVER": "", "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
        if inspect(engine).has_table("thread"):
            print(f"error: {make_url(args.database_url).render_as_string()} already has "
                  "Guildhall tables; use a scratch database.", file=sys.stderr)
            return 1
        db.create_all()
        started = time.perf_counter()
        with engine.begin() as connection:
            made = generate(connection, sizes, now=utcnow(), seed=args.seed)
        seconds = time.perf_counter() - started
        with engine.connect() as connection:
            size = _size_of(connection, args.database_url)
        engine.dispose()
    print(f"{engine.dialect.name}: {made.users:,} users, {made.threads:,} threads, "
          f"{made.posts:,} posts, {made.events:,} events, {made.tags} tags, {made.courses} "
          f"courses, {made.active_users:,} active in the last 30 days")
    print("events: " + ", ".join(f"{k} {v:,}" for k, v in made.event_types.items()))
    print(f"generated in {seconds:.0f}s; database {size / 2**20:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
