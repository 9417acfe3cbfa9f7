"""Serve a prepared database under gunicorn and drive it with Locust; report per page.

    python -m bench.load.run --database-url URL [--users 50] [--duration 60] [--workers N]
                             [--page NAME] [--drop]

The site runs as in production (`gunicorn wsgi:app`, sync workers) on a free loopback
port, with two settings of its own: QUERY_COUNT_HEADER, so each response says how many
statements it ran and how long the app took, and rate limits so generous that a few
dozen users posting and voting from one address never meet a 429 (production keeps
its limits; only this process's environment changes). Locust runs headless in another
process with `bench/load/locustfile.py`. The table goes to stdout and to
bench/results/load-<timestamp>.md.

`--page NAME` sends every request to one page as visitors, instead of the mix: with
`--page "login form"` (one template, no query) it measures the most this machine, this
server and this load generator can serve at all, the ceiling any mix stays under.

Workers: one sync worker per core, plus one. The pages are CPU-bound Python (queries are
short, Markdown is stored as HTML) and Locust and PostgreSQL share the same cores, so
gunicorn's usual 2 x cores + 1, meant for workers that wait on I/O on a machine of their
own, would only add switching; the extra one keeps a core busy while another worker
waits on the database.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import text

from bench.load.mix import READS
from bench.load.prepare import BUSY_TITLE, PASSWORD, is_prepared
from bench.load.report import failure_lines, markdown_table, page_rows, verdict
from bench.timing import RESULTS_DIR, machine

ROOT = Path(__file__).resolve().parents[2]
GENEROUS = "100000 per minute"
SINGLE_PAGES = ("login form", *READS)
LIMIT_SETTINGS = ("RATELIMIT_AUTH", "RATELIMIT_POSTING", "RATELIMIT_VOTING",
                  "RATELIMIT_POSTING_TRUSTED", "RATELIMIT_VOTING_TRUSTED", "RATELIMIT_SEARCH")

# Pages to visit, drawn at random from what a visitor may see.
TARGET_QUERIES = {
    "threads": "SELECT t.id, t.slug FROM thread t JOIN category c ON c.id = t.category_id "
               "WHERE NOT c.member_only AND t.deleted_at IS NULL AND t.merged_into_id IS NULL "
               "ORDER BY random() LIMIT 2000",
    "open_questions": "SELECT t.id, t.slug FROM thread t JOIN category c ON c.id = t.category_id "
                      "WHERE NOT c.member_only AND t.kind = 'question' AND t.deleted_at IS NULL "
                      "AND t.closed_at IS NULL AND t.locked_at IS NULL "
                      "AND t.merged_into_id IS NULL ORDER BY random() LIMIT 2000",
    "posts": "SELECT p.id FROM post p JOIN thread t ON t.id = p.thread_id "
             "JOIN category c ON c.id = t.category_id JOIN \"user\" u ON u.id = p.author_id "
             "WHERE NOT c.member_only AND p.deleted_at IS NULL AND p.hidden_at IS NULL "
             "AND t.deleted_at IS NULL AND t.locked_at IS NULL AND t.merged_into_id IS NULL "
             "AND u.username NOT LIKE 'load%' ORDER BY random() LIMIT 5000",
    "categories": "SELECT slug FROM category WHERE NOT member_only",
    "tags": "SELECT name FROM tag ORDER BY random() LIMIT 200",
    "users": "SELECT username FROM \"user\" WHERE deleted_at IS NULL "
             "ORDER BY random() LIMIT 2000",
    "courses": "SELECT slug FROM course WHERE published AND NOT member_only",
    "words": "SELECT title FROM thread ORDER BY random() LIMIT 200",
}


def targets(url: str) -> dict:
    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test"})
    with app.app_context(), db.engine.connect() as connection:
        if not is_prepared(connection):
            raise SystemExit("error: that database is not prepared; run "
                             "`python -m bench.load.prepare --database-url URL` first.")
        found = {name: [list(row) if len(row) > 1 else row[0]
                        for row in connection.execute(text(query))]
                 for name, query in TARGET_QUERIES.items()}
        found["busy_thread"] = list(connection.execute(
            text("SELECT id, slug FROM thread WHERE title = :title"), {"title": BUSY_TITLE}).one())
        found["category_id"] = connection.scalar(text(
            "SELECT id FROM category WHERE NOT member_only ORDER BY position LIMIT 1"))
    found["words"] = sorted({word.lower() for title in found["words"] for word in title.split()
                             if word.isalpha() and len(word) > 4})
    found["password"] = PASSWORD
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_workers() -> int:
    return (os.cpu_count() or 1) + 1


def serve(url: str, port: int, workers: int, folder: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": url, "SECRET_KEY": "load-test", "SERVER_NAME": f"127.0.0.1:{port}",
        "QUERY_COUNT_HEADER": "1", "MAIL_SERVER": "", "MAIL_OUTBOX_DIR": f"{folder}/outbox",
    } | dict.fromkeys(LIMIT_SETTINGS, GENEROUS)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("error: gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"error: the site did not answer on {base} within {timeout:.0f}s")


def drive(base: str, folder: str, *, users: int, duration: int,
          page: str | None = None) -> tuple[list[dict], dict, list[dict]]:
    prefix = f"{folder}/locust"
    env = os.environ | {"LOAD_TARGETS": f"{folder}/targets.json", "LOAD_ONLY": page or "",
                        "LOAD_HEADERS": f"{folder}/headers.json",
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                    os.environ.get("PYTHONPATH")]))}
    with open(f"{folder}/locust.log", "w") as log:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "--host", base, "--users", str(users),
             "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{duration}s",
             "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
             *(["Visitor"] if page else [])],
            cwd=ROOT, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit("error: Locust wrote no statistics:\n"
                         + Path(f"{folder}/locust.log").read_text()[-3000:])
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as found:
            failures = list(csv.DictReader(found))
    headers = json.loads(Path(f"{folder}/headers.json").read_text())
    return rows, headers, failures


def drop(url: str) -> None:
    """Clear the load test's tables, leaving the scratch database empty."""
    from app import create_app
    from app.extensions import db
    from app.forum import search_index

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test"})
    with app.app_context():
        with db.engine.begin() as connection:
            search_index.uninstall(connection)
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database from bench.load.prepare")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="gunicorn workers (default: cores + 1)")
    parser.add_argument("--page", choices=SINGLE_PAGES,
                        help="every request to this one page, as visitors, instead of the mix")
    parser.add_argument("--drop", action="store_true", help="clear the tables afterwards")
    args = parser.parse_args(argv)

    info = machine()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "targets.json").write_text(json.dumps(targets(args.database_url)))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve(args.database_url, port, args.workers, folder)
        try:
            wait_until_up(base, server)
            stats, headers, failures = drive(base, folder, users=args.users,
                                             duration=args.duration, page=args.page)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if args.drop:
        drop(args.database_url)

    rows = page_rows(stats, headers)
    heading = (f"Load test: {args.users} users for {args.duration}s, {args.workers} gunicorn "
               f"sync workers\nMachine: {info['platform']}, {info['cpu']}, {info['cpus']} CPUs, "
               f"Python {info['python']}")
    if args.page:
        heading += (f"\nOne page only ({args.page}), as visitors: a ceiling, not the issue's "
                    "mix, so the targets are not checked")
    sections = [heading, markdown_table(rows)]
    if not args.page:
        sections.append("\n".join(verdict(rows)))
    if failures:
        sections.append("Errors:\n" + "\n".join(failure_lines(failures)))
    report = "\n\n".join(sections)
    print("\n" + report)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"load-{time.strftime('%Y%m%d-%H%M%S')}.md"
    out.write_text(report + "\n")
    print(f"\nSaved to {out}")
    return 0 if all(row.errors == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
