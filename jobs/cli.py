"""`flask jobs ...`: list the jobs, run one now, or serve the scheduler.

Imports happen inside the commands so `flask --help` stays fast.
"""

import contextlib
import logging
from datetime import datetime, time

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Scheduled jobs: list, run one now, serve the scheduler.")


def parse_as_of(value: str | None) -> datetime | None:
    """A date means the end of that day (its events count); a datetime is taken as is (UTC)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time.max)
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (2026-11-30) or a date and time (2026-11-30T06:00)",
            param_hint="--as-of",
        ) from None


@jobs_cli.command("list")
def list_command() -> None:
    """Every job with its schedule and its last run."""
    from jobs.registry import all_jobs
    from jobs.runner import last_runs

    runs = last_runs()
    for job in all_jobs().values():
        run = runs.get(job.name)
        click.echo(f"{job.name:<22} {job.schedule!s:<22} {_describe(run)}")
        click.echo(f"{'':<22} {job.description}")


def _describe(run) -> str:
    if run is None:
        return "never run"
    took = f" in {run.seconds:.1f}s" if run.seconds is not None else ""
    line = f"{run.status} {run.started_at:%Y-%m-%d %H:%M} UTC{took}"
    return f"{line} ({run.counts_text})" if run.counts_text else line


@jobs_cli.command("run")
@click.argument("name")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Compute as of this date (its end) or date and time, UTC. Default: now.")
def run_command(name: str, as_of: str | None) -> None:
    """Run the job NAME now. Exits 1 when it fails or another run of it is in progress."""
    from jobs.runner import UnknownJob, run_job

    moment = parse_as_of(as_of)
    try:
        outcome = run_job(name, as_of=moment, trigger="manual")
    except UnknownJob as error:
        raise click.ClickException(str(error)) from None
    if outcome.skipped:
        click.echo(f"{name} is already running elsewhere; nothing done.")
        click.get_current_context().exit(1)
    run = outcome.run
    click.echo(f"{name}: {_describe(run)}")
    if not outcome.ok:  # the log above has the whole traceback
        click.echo(f"error: {run.error_line or 'no error text'}", err=True)
        click.get_current_context().exit(1)


@jobs_cli.command("serve")
@click.option("--with-site", is_flag=True,
              help="Also serve the site (development server) in this process: the one "
                   "scheduler `make run` embeds.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(with_site: bool, host: str, port: int) -> None:
    """Run every job on its schedule until stopped."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from werkzeug.serving import run_simple

    from jobs.scheduler import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # our runner logs each run
    app = current_app._get_current_object()
    if not with_site:
        click.echo("Scheduler running; Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            build_scheduler(app).start()
        return
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    try:
        # No reloader: it would fork a second process, and with it a second scheduler.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)
