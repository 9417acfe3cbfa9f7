"""How fast is a busy thread page? Render a question with 50 answers through the app.

    python -m bench.thread_render [--answers 50] [--renders 50] [--warmup 5]

Builds a fresh database (a temporary SQLite file, and PostgreSQL too when
BENCH_DATABASE_URL is set), writes one question with code-heavy answers and votes using
the demo-data builder, then GETs /t/<id>/<slug> through the Flask test client, first
anonymously and then signed in. Prints the median and p95 render time and the SQL
statements per render, and saves the numbers under bench/results/.
"""

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta

import sqlalchemy
from sqlalchemy import inspect, select

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.forum import search_index
from app.forum.models import Thread
from app.forum.slugs import slugify
from app.seed.demo import build_demo
from app.seed.plan import DemoPlan, PostPlan, ThreadPlan, VotePlan, fill, plan_demo
from app.seed.topics import QUESTIONS
from app.timeutil import utcnow
from bench.timing import RESULTS_DIR, BenchError, machine, time_renders


def busy_thread_plan(*, answers: int, seed: int = 7) -> DemoPlan:
    """People from the demo planner, and one question they have answered `answers` times.

    Answers cycle through every corpus answer that has a code block, so the page pays
    for highlighted code the way a real busy thread does; most answers get a few votes.
    """
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    asked = now - timedelta(days=2)
    people = plan_demo(users=answers + 40, threads=0, seed=seed, now=now).users
    joined = [i for i, person in enumerate(people) if person.created_at < asked]
    topic = QUESTIONS[0]
    values = _first_values(topic)
    question = PostPlan(author=joined[0], body=fill(topic.problem, values),
                        created_at=asked, is_first=True, quality=1.0)
    bodies = itertools.cycle(code_answers())
    posts = [question]
    for n in range(answers):
        at = asked + timedelta(hours=40) * (n + 1) / (answers + 1)
        posts.append(PostPlan(author=joined[1 + n % (len(joined) - 1)], body=next(bodies),
                              created_at=at, is_first=False, quality=rng.gauss(0, 1)))
    for post in posts:
        voters = rng.sample([i for i in joined if i != post.author], rng.randint(0, 8))
        post.votes = [VotePlan(voter=v, value=1 if rng.random() < 0.9 else -1,
                               at=post.created_at + timedelta(minutes=1 + k))
                      for k, v in enumerate(voters)]
        post.original = post.body
    title = fill(topic.titles[0], values)
    accepted = min(3, answers)
    thread = ThreadPlan(
        kind="question", title=title, slug=slugify(title), category=topic.category,
        tags=topic.tags, created_at=asked, posts=posts, view_count=500,
        accepted=accepted, accepted_at=posts[accepted].created_at + timedelta(hours=1),
    )
    return DemoPlan(users=people, threads=[thread])


def _first_values(topic) -> dict[str, str]:
    values = {}
    for names, choices in topic.slots.items():
        values.update(zip(names.split("|"), choices[0].split("|"), strict=True))
    return values


def code_answers() -> list[str]:
    return [
        fill(answer, _first_values(topic))
        for topic in QUESTIONS
        for answer in topic.answers
        if "```" in answer
    ]


def run(url: str, *, answers: int, renders: int, warmup: int, outbox: str) -> list[dict]:
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": outbox,
        "PROPAGATE_EXCEPTIONS": True,
        # The page is built for every render: a visitor would otherwise get the first
        # render back from the visitors' page cache, which times the cache, not the page.
        "VISITOR_PAGE_CACHE_SECONDS": 0,
    })
    with app.app_context():
        if inspect(db.engine).has_table("thread"):
            raise BenchError(f"{_safe(url)} already has Guildhall tables; use a scratch database.")
        db.create_all()
    try:
        with app.app_context():
            with db.engine.begin() as connection:
                search_index.install(connection)
            path, reader = _build(answers)
            engine = db.engine
        # Requests run outside that app context, as in production: each gets its own
        # `g`, so a user loaded by one request is not reused by the next.
        return [
            _measure(app, engine, path, None, renders=renders, warmup=warmup),
            _measure(app, engine, path, reader, renders=renders, warmup=warmup),
        ]
    finally:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                search_index.uninstall(connection)
            db.drop_all()
            db.engine.dispose()


def _build(answers: int) -> tuple[str, int]:
    """The busy thread's path, and a reader who voted (so the page has their votes to show)."""
    plan = busy_thread_plan(answers=answers)
    build_demo(plan)  # also seeds the demo's courses, whose lessons have discussion threads
    thread = db.session.scalars(select(Thread).filter_by(title=plan.threads[0].title)).one()
    voter = next(v.voter for p in plan.threads[0].posts for v in p.votes)
    reader = db.session.scalar(select(User.id).filter_by(username=plan.users[voter].username))
    return f"/t/{thread.id}/{thread.slug}", reader


def _measure(app, engine, path: str, user_id: int | None, *, renders: int, warmup: int) -> dict:
    def get(client):
        _get(client, app, path, signed_in=user_id is not None)

    result = time_renders(app, engine, get, user_id=user_id, renders=renders, warmup=warmup)
    return {
        "database": engine.dialect.name,
        "viewer": "signed in" if user_id else "anonymous",
        "median_ms": round(result.median_ms, 2),
        "p95_ms": round(result.p95_ms, 2),
        "queries": sorted(set(result.queries)),
    }


def _get(client, app, path: str, *, signed_in: bool) -> None:
    response = client.get(path)
    if response.status_code != 200:
        if "forum.thread" not in app.view_functions:
            raise BenchError("There is no thread page (forum.thread, /t/<id>/<slug>) yet.")
        raise BenchError(f"GET {path} answered {response.status_code}, not 200.")
    if signed_in and b"Log out" not in response.data:
        raise BenchError("The signed-in reader was not signed in; the numbers would be wrong.")


def _safe(url: str) -> str:
    return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=50, help="answers (default 50)")
    parser.add_argument("--renders", type=int, default=50, help="timed renders (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed renders (default 5)")
    args = parser.parse_args(argv)
    if args.answers < 1 or args.renders < 1 or args.warmup < 0:
        parser.error("--answers and --renders must be at least 1, --warmup at least 0")

    info = machine()
    print(f"Thread page: 1 question with {args.answers} answers, {args.renders} timed renders "
          f"after {args.warmup} warm-up")
    print(f"Machine: {info['platform']}, {info['cpu']}, {info['cpus']} CPUs, "
          f"Python {info['python']}, SQLAlchemy {info['sqlalchemy']}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite:///{tmp}/bench.sqlite"]
        if os.environ.get("BENCH_DATABASE_URL"):
            urls.append(os.environ["BENCH_DATABASE_URL"])
        try:
            for url in urls:
                results += run(url, answers=args.answers, renders=args.renders,
                               warmup=args.warmup, outbox=f"{tmp}/outbox")
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1

    print(f"\n{'database':<12}{'viewer':<12}{'median':>10}{'p95':>10}  queries/render")
    for r in results:
        low, high = r["queries"][0], r["queries"][-1]
        queries = str(low) if low == high else f"{low}-{high}"
        print(f"{r['database']:<12}{r['viewer']:<12}"
              f"{r['median_ms']:>8.1f}ms{r['p95_ms']:>8.1f}ms  {queries}")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"thread_render-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "args": vars(args), "results": results}, indent=2))
    print(f"\nSaved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
