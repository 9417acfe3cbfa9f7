"""How long do the insights jobs take on a large community, and how much memory?

    python -m bench.insights_jobs [--scale 1.0] [--jobs engagement,communities,recommendations]
                                  [--skip-sqlite] [--keep DIR]

Builds a throwaway database (a temporary SQLite file, and a database of its own on the
PostgreSQL server of BENCH_DATABASE_URL or TEST_DATABASE_URL when one is set, dropped
afterwards), fills it with `bench.community_data` (at --scale 1: 100,000 users, 200,000
threads, 1,000,000 posts, 5,000,000 events), then runs each job through the real runner
(`jobs.runner.run_job`, as `flask jobs run` does) in a process of its own, so each peak
resident memory is that job's alone. Prints wall time and peak memory against the
budgets, and saves the numbers under bench/results/.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import text

from bench.timing import RESULTS_DIR, machine

# The budgets on the 2-core development machine: seconds, and peak memory in MB.
BUDGETS = {"engagement": (60, 4096), "communities": (90, 4096), "recommendations": (300, 4096)}


def build(url: str, scale: float) -> dict:
    """Create the schema on an empty database and fill it; returns what was generated."""
    from app import create_app
    from app.extensions import db
    from app.forum import search_index
    from app.timeutil import utcnow
    from bench.community_data import Sizes, generate

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        engine = db.engine
        db.create_all()
        with engine.begin() as connection:
            search_index.install(connection)
        started = time.perf_counter()
        with engine.begin() as connection:
            generated = generate(connection, Sizes().scaled(scale), now=utcnow())
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        seconds = time.perf_counter() - started
        engine.dispose()
    return {"generated": asdict(generated), "seconds": round(seconds, 1)}


def run_child(url: str, job: str) -> dict:
    """In this process: run one job on `url`; report its time, outcome and peak memory."""
    from app import create_app
    from app.extensions import db
    from jobs.context import Progress
    from jobs.runner import run_job

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()  # a kept database may predate a job's tables
        started = time.perf_counter()
        outcome = run_job(job, progress=Progress(job, interactive=False))
        seconds = time.perf_counter() - started
        run = outcome.run
        status, counts, error = run.status, run.counts, run.error
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"job": job, "seconds": round(seconds, 1), "peak_mb": round(peak_mb),
            "status": status, "counts": counts, "error": error}


def measure(url: str, job: str) -> dict:
    child = subprocess.run(
        [sys.executable, "-m", "bench.insights_jobs", "--child", job, "--database-url", url],
        capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if child.returncode != 0:
        return {"job": job, "status": "crashed", "error": child.stderr[-2000:]}
    return json.loads(child.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = 100,000 users and 5,000,000 events")
    parser.add_argument("--jobs", default=",".join(BUDGETS))
    parser.add_argument("--skip-sqlite", action="store_true", help="only the PostgreSQL run")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the SQLite database in DIR (reused by the next run)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.database_url, args.child)))
        return 0
    jobs = [name.strip() for name in args.jobs.split(",") if name.strip()]

    info = machine()
    print(f"Insights jobs at scale {args.scale}")
    print(f"Machine: {info['platform']}, {info['cpu']}, {info['cpus']} CPUs, "
          f"Python {info['python']}, SQLAlchemy {info['sqlalchemy']}", flush=True)
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    results, builds = [], {}
    with ExitStack() as stack:
        folder = args.keep or stack.enter_context(tempfile.TemporaryDirectory())
        urls = [] if args.skip_sqlite else [f"sqlite:///{folder}/insights-bench.sqlite"]
        if server:
            from tests.fixtures.databases import throwaway_database

            urls.append(stack.enter_context(throwaway_database(server, "guildhall_bench")))
        for url in urls:
            dialect = url.split(":", 1)[0].split("+")[0]
            reuse = args.keep and dialect == "sqlite" and Path(url[10:]).exists()
            if not reuse:
                builds[dialect] = build(url, args.scale)
                print(f"  {dialect}: generated in {builds[dialect]['seconds']}s", flush=True)
            for job in jobs:
                result = measure(url, job) | {"database": dialect}
                results.append(result)
                print(f"  {dialect} {job}: {result.get('seconds', '-')}s, "
                      f"{result.get('peak_mb', '-')} MB, {result['status']}", flush=True)
                if result["status"] != "succeeded":
                    print(result.get("error") or "", file=sys.stderr)

    print(f"\n{'database':<12}{'job':<18}{'seconds':>9}{'budget':>8}{'peak MB':>9}{'budget':>8}")
    for r in results:
        budget_s, budget_mb = BUDGETS.get(r["job"], ("-", "-"))
        print(f"{r['database']:<12}{r['job']:<18}{r.get('seconds', '-'):>9}{budget_s:>8}"
              f"{r.get('peak_mb', '-'):>9}{budget_mb:>8}  {r['status']}")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"insights-jobs-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "args": vars(args), "builds": builds,
                               "results": results}, indent=2, default=str))
    print(f"\nSaved to {out}")
    return 0 if all(r["status"] == "succeeded" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
