"""How fast is the 30-day leaderboard at 100,000 users and a million ledger rows?

    python -m bench.leaderboard [--users 100000] [--rows 1000000] [--renders 20] [--warmup 3]

Builds a throwaway database (a temporary SQLite file, and a database of its own on the
PostgreSQL server of BENCH_DATABASE_URL or TEST_DATABASE_URL when one is set, dropped
afterwards), fills it with `bench.leaderboard_data`, then GETs /leaderboards through the
Flask test client: the 30-day board's first page anonymously and signed in, and the other
boards for comparison. Prints the median and p95 render time and the SQL statements per
render, and saves the numbers under bench/results/.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack

from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.timeutil import utcnow
from bench.leaderboard_data import Generated, Sizes, generate
from bench.timing import RESULTS_DIR, BenchError, machine, time_renders
from tests.fixtures.databases import throwaway_database


def boards(data: Generated) -> list[tuple[str, str, int | None]]:
    """(label, path, signed-in user or None): the headline board first."""
    deep = max(2, data.users // 2500)  # page 40 at 100,000 users
    return [
        ("30 days", "/leaderboards?period=month", None),
        ("30 days, signed in", "/leaderboards?period=month", data.middle_user_id),
        (f"30 days, page {deep}", f"/leaderboards?period=month&page={deep}", None),
        ("7 days", "/leaderboards?period=week", None),
        ("all time", "/leaderboards?period=all", None),
        ("rising, 30 days", "/leaderboards?period=month&board=rising", None),
        ("rising, all time", "/leaderboards?period=all&board=rising", None),
        (f"tag {data.busiest_tag}, 30 days", f"/leaderboards?period=month&tag={data.busiest_tag}", None),
    ]


def run(url: str, sizes: Sizes, *, renders: int, warmup: int) -> list[dict]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "MAIL_SERVER": "", "PROPAGATE_EXCEPTIONS": True,
                      # Each render builds the board: a visitor would otherwise get the
                      # first render back from the visitors' page cache.
                      "VISITOR_PAGE_CACHE_SECONDS": 0})
    with app.app_context():
        engine = db.engine
        db.create_all()
        started = time.perf_counter()
        with engine.begin() as connection:
            data = generate(connection, sizes, now=utcnow())
        if engine.dialect.name == "postgresql":
            # What autovacuum does on a live server: the visibility map lets the covering
            # indexes serve index-only scans.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(f"  {engine.dialect.name}: {data.users:,} users, {data.rows:,} ledger rows, "
              f"{data.posts:,} posts in {time.perf_counter() - started:.0f}s", flush=True)
    try:
        return [
            _measure(app, engine, label, path, user_id, renders=renders, warmup=warmup)
            for label, path, user_id in boards(data)
        ]
    finally:
        with app.app_context():
            db.session.remove()
            engine.dispose()


def _measure(app, engine, label, path, user_id, *, renders, warmup) -> dict:
    def get(client):
        _get(client, path, signed_in=user_id is not None)

    result = time_renders(app, engine, get, user_id=user_id, renders=renders, warmup=warmup)
    return {"database": engine.dialect.name, "board": label, "path": path,
            "median_ms": round(result.median_ms, 1), "p95_ms": round(result.p95_ms, 1),
            "queries": sorted(set(result.queries))}


def _get(client, path: str, *, signed_in: bool) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}, not 200.")
    page = response.get_data(as_text=True)
    if "leaderboard-rank" not in page:
        raise BenchError(f"GET {path} showed no ranked rows; the data did not load.")
    if signed_in and "You are <strong>#" not in page:
        raise BenchError("The signed-in viewer's rank is missing; the numbers would be wrong.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000, help="ledger rows")
    parser.add_argument("--renders", type=int, default=20, help="timed renders per board")
    parser.add_argument("--warmup", type=int, default=3, help="untimed renders per board")
    parser.add_argument("--skip-sqlite", action="store_true", help="only the PostgreSQL run")
    args = parser.parse_args(argv)
    if args.users < 100 or args.rows < args.users or args.renders < 1 or args.warmup < 0:
        parser.error("need --users >= 100, --rows >= --users, --renders >= 1, --warmup >= 0")
    sizes = Sizes(users=args.users, rows=args.rows, threads=max(100, args.users // 5))

    info = machine()
    print(f"Leaderboards: {args.users:,} users, {args.rows:,} ledger rows, "
          f"{args.renders} timed renders per board after {args.warmup} warm-up")
    print(f"Machine: {info['platform']}, {info['cpu']}, {info['cpus']} CPUs, "
          f"Python {info['python']}, SQLAlchemy {info['sqlalchemy']}")
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    results = []
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        urls = [] if args.skip_sqlite else [f"sqlite:///{tmp}/bench.sqlite"]
        if server:
            urls.append(stack.enter_context(throwaway_database(server, "guildhall_bench")))
        try:
            for url in urls:
                results += run(url, sizes, renders=args.renders, warmup=args.warmup)
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1

    print(f"\n{'database':<12}{'board':<28}{'median':>10}{'p95':>10}  queries/render")
    for r in results:
        low, high = r["queries"][0], r["queries"][-1]
        queries = str(low) if low == high else f"{low}-{high}"
        print(f"{r['database']:<12}{r['board']:<28}{r['median_ms']:>8.1f}ms{r['p95_ms']:>8.1f}ms  {queries}")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"leaderboard-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "args": vars(args), "results": results}, indent=2))
    print(f"\nSaved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
