"""Deterministic demo data for `make run` and for benchmarks."""

import time

import click
from flask.cli import AppGroup

from app.seed import content
from app.seed.demo import NotEmpty, build_demo, has_users
from app.seed.plan import plan_demo
from app.timeutil import utcnow

seed_cli = AppGroup("seed", help="Fill the database with demo data.")


@seed_cli.command("demo")
@click.option("--users", default=150, show_default=True, type=click.IntRange(min=3),
              help="People, including the admin and two moderators.")
@click.option("--threads", default=400, show_default=True, type=click.IntRange(min=0),
              help="Questions (about 3 in 4) and discussions.")
@click.option("--seed", default=42, show_default=True, type=int,
              help="The same seed builds the same community.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has users (for `make run`).")
def demo(users: int, threads: int, seed: int, if_empty: bool) -> None:
    """Build a demo community: categories, tags, people, threads, votes and their history.

    Everything happens in the year before now; the same seed gives the same people and
    threads, only shifted in time.
    """
    if if_empty and has_users():
        click.echo("The database already has users; leaving it as it is (no demo data added).")
        return
    started = time.perf_counter()
    now = utcnow().replace(microsecond=0)
    plan = plan_demo(users=users, threads=threads, seed=seed, now=now)
    try:
        summary = build_demo(plan, now=now, seed=seed)
    except NotEmpty as error:
        raise click.ClickException(f"{error} Use an empty database, or pass --if-empty.") from None
    elapsed = time.perf_counter() - started
    click.echo(
        f"Demo community built in {elapsed:.1f}s (seed {seed}):\n"
        f"  {summary.users} users, {summary.categories} categories, {summary.tags} tags\n"
        f"  {summary.questions} questions, {summary.discussions} discussions, "
        f"{summary.posts} posts, {summary.votes} votes\n"
        f"  {summary.events} events in the log, {summary.bounties} bounties, "
        f"{summary.members} paying members (test mode), {summary.courses} courses, "
        f"{summary.competitions} competitions, {summary.flags} flags\n"
        f"Log in as admin (administrator), {' or '.join(summary.moderators)} (moderators),\n"
        f"or as any other user, with the password: {content.DEMO_PASSWORD}"
    )
