"""Build the load test's database: the synthetic community, the Stack Exchange dump, a
busy thread, and accounts to sign in with.

    python -m bench.load.prepare --database-url URL [--scale small|full] [--keep]

The database must be a scratch one: it is migrated from empty, and a database that
already has Guildhall's tables is refused, unless `--keep` is given and it is one this
script prepared (it is then kept as it is, since the full size takes long to build).
The accounts are `load1` ... `load200`, password `PASSWORD`, with enough points to vote
and post under the trusted rate limits; the busy thread is a question with 50 answers
(the thread page the issue times), posted through the services.
"""

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import inspect, make_url, select, text
from werkzeug.security import generate_password_hash

ACCOUNTS = 200
PASSWORD = "load-test-password"
ACCOUNT_POINTS = 1500  # above reduced_limits (1,000) and vote_down (125)
BUSY_ANSWERS = 50
BUSY_TITLE = "Load test: a question with fifty answers"
SCALES = {"small": 0.05, "full": 1.0}  # of bench.community_data's 100,000 users
DUMP = Path(__file__).resolve().parents[3] / "shared" / "data" / "stackexchange-ai"


class NotScratch(Exception):
    """The database has someone's tables; the message says what to do."""


@dataclass(frozen=True)
class Prepared:
    reused: bool
    seconds: float


def account_name(n: int) -> str:
    return f"load{n}"


def is_prepared(connection) -> bool:
    """A database this script finished: its last step made the busy thread."""
    return inspect(connection).has_table("thread") and connection.scalar(
        text("SELECT count(*) FROM thread WHERE title = :title"), {"title": BUSY_TITLE}) > 0


def prepare(url: str, *, scale: str, keep: bool, dump: Path = DUMP) -> Prepared:
    from flask_migrate import upgrade

    from app.extensions import db

    started = time.perf_counter()
    app = _app(url)
    with app.app_context():
        with db.engine.connect() as connection:
            if inspect(connection).has_table("thread"):
                if keep and is_prepared(connection):
                    return Prepared(reused=True, seconds=0.0)
                raise NotScratch(f"{make_url(url).render_as_string()} already has Guildhall "
                                 "tables; use a scratch database (or --keep for one this "
                                 "script prepared).")
        upgrade()
        _community(scale)
        _import_dump(dump)
        _accounts()
        _busy_thread()
        _vacuum()
        db.engine.dispose()
    return Prepared(reused=False, seconds=time.perf_counter() - started)


def _app(url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test",
                       "MAIL_SERVER": "", "RATELIMIT_ENABLED": False})


def _community(scale: str) -> None:
    """The synthetic community, then a search document per live post (the generator
    writes none; its bodies are plain words, so the text is the body itself)."""
    from app.extensions import db
    from app.timeutil import utcnow
    from bench.community_data import Sizes, generate

    with db.engine.begin() as connection:
        made = generate(connection, Sizes().scaled(SCALES[scale]), now=utcnow())
        connection.execute(text(
            "INSERT INTO search_document (post_id, thread_id, title, body_text) "
            "SELECT p.id, p.thread_id, CASE WHEN p.is_first THEN t.title ELSE '' END, p.body "
            "FROM post p JOIN thread t ON t.id = p.thread_id "
            "WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL"))
    print(f"community: {made.users:,} users, {made.threads:,} threads, {made.posts:,} posts, "
          f"{made.events:,} events", flush=True)


def _import_dump(dump: Path) -> None:
    from app.importers.stackexchange import import_stackexchange

    if not (dump / "Posts.xml").exists():
        print(f"no Stack Exchange dump in {dump}; skipping the import", flush=True)
        return
    report = import_stackexchange(dump, progress=lambda line: None)
    print("\n".join(report.summary_lines()), flush=True)


def _accounts() -> None:
    """Verified members who joined a month ago, their points a ledger row like any other."""
    from app.accounts.models import User
    from app.extensions import db
    from app.gamification.models import PointTransaction
    from app.timeutil import utcnow

    joined = utcnow() - timedelta(days=30)
    password_hash = generate_password_hash(PASSWORD)  # one hash: the same password for all
    users = [User(username=account_name(n), username_key=account_name(n),
                  email=f"{account_name(n)}@load.invalid", password_hash=password_hash,
                  email_verified_at=joined, created_at=joined, points=1 + ACCOUNT_POINTS,
                  points_changed_at=joined)
             for n in range(1, ACCOUNTS + 1)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(PointTransaction(
        user_id=user.id, delta=ACCOUNT_POINTS, requested=ACCOUNT_POINTS, reason="load_test",
        key=f"load_test:{user.id}", created_at=joined) for user in users)
    db.session.commit()
    print(f"accounts: {account_name(1)} ... {account_name(ACCOUNTS)}, password {PASSWORD!r}",
          flush=True)


def _busy_thread() -> None:
    """A question with 50 code-heavy answers from 50 accounts, through the services, so
    the stored HTML, counters and search text are what a real thread has."""
    from app.accounts.models import User
    from app.extensions import db
    from app.forum import posting
    from app.forum.models import Category, Tag
    from bench.thread_render import code_answers

    accounts = db.session.scalars(select(User).where(User.username.like("load%"))
                                  .order_by(User.id).limit(BUSY_ANSWERS + 1)).all()
    category = db.session.scalars(select(Category).where(Category.member_only.is_(False))
                                  .order_by(Category.position)).first()
    question = posting.create_thread(
        accounts[0], kind="question", title=BUSY_TITLE, category_id=category.id,
        tags=db.session.scalar(select(Tag.name).order_by(Tag.id).limit(1)),
        body="How do I keep a page fast when a thread has many answers with code?")
    bodies = code_answers()
    for n, author in enumerate(accounts[1:]):
        posting.add_reply(author, question.thread.id, body=f"{bodies[n % len(bodies)]}\n\n({n + 1})")
    print(f"busy thread: /t/{question.thread.id}/{question.thread.slug}", flush=True)


def _vacuum() -> None:
    from app.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database")
    parser.add_argument("--scale", choices=SCALES, default="full",
                        help="full = 100,000 users; small = 5,000 users (under 2 minutes)")
    parser.add_argument("--keep", action="store_true",
                        help="keep a database this script already prepared instead of refusing it")
    args = parser.parse_args(argv)
    try:
        prepared = prepare(args.database_url, scale=args.scale, keep=args.keep)
    except NotScratch as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if prepared.reused:
        print("kept the database prepared earlier")
    else:
        print(f"prepared in {prepared.seconds:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
