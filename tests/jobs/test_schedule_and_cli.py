"""The registry, the scheduler built from it, and `flask jobs ...`."""

import io
import logging
from datetime import datetime, time, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from app.competitions.models import Competition
from app.extensions import db
from jobs.cli import parse_as_of
from jobs.context import Progress
from jobs.models import JobRun, JobStatus
from jobs.registry import Schedule, all_jobs
from jobs.scheduler import MISFIRE_GRACE_SECONDS, build_scheduler
from tests.fixtures.competitions import make_challenge_set

READY_JOBS = {
    "badge-sweep": "every 10 minutes",
    "serial-vote-sweep": "every hour",
    "points-reconcile": "daily at 01:30 UTC",
    "bounty-expiry": "every hour",
    "competition-finalize": "every minute",
}


def test_the_jobs_other_issues_made_ready_are_registered_on_their_schedules():
    jobs = all_jobs()
    assert {name: str(jobs[name].schedule) for name in READY_JOBS} == READY_JOBS
    assert all(job.description for job in jobs.values())


def test_a_schedule_is_an_interval_or_a_daily_time():
    assert Schedule(minutes=240).trigger == ("interval", {"minutes": 240})
    assert Schedule(hour=3).trigger == ("cron", {"hour": 3, "minute": 0})
    assert str(Schedule(minutes=240)) == "every 4 hours"
    with pytest.raises(ValueError):
        Schedule()
    with pytest.raises(ValueError):
        Schedule(minutes=5, hour=3)


def test_the_scheduler_runs_each_job_once_at_a_time_and_coalesces_misfires(app):
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)  # job defaults apply when the scheduler starts
    try:
        scheduled = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(scheduled) == set(all_jobs())
    for job in scheduled.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (
            True, 1, MISFIRE_GRACE_SECONDS)
    assert str(scheduled["points-reconcile"].trigger) == "cron[hour='1', minute='30']"
    assert scheduled["competition-finalize"].trigger.interval == timedelta(minutes=1)


def test_a_scheduled_tick_records_its_run(app):
    ended = make_challenge_set(starts_at=datetime(2026, 1, 1), ends_at=datetime(2026, 1, 2))
    scheduler = build_scheduler(app, BackgroundScheduler)
    tick = scheduler.get_job("competition-finalize")
    tick.func(*tick.args)

    run = db.session.scalar(select(JobRun))
    assert (run.job, run.trigger, run.status, run.counts) == (
        "competition-finalize", "schedule", JobStatus.SUCCEEDED, {"finalized": 1})
    assert db.session.get(Competition, ended.id).finalized_at is not None


def test_jobs_run_and_list_from_the_command_line(app):
    cli = app.test_cli_runner()
    done = cli.invoke(args=["jobs", "run", "bounty-expiry", "--as-of", "2026-11-30"])
    assert done.exit_code == 0, done.output
    assert "bounty-expiry: succeeded" in done.output and "(settled 0)" in done.output
    run = db.session.scalar(select(JobRun))
    assert run.as_of == datetime.combine(datetime(2026, 11, 30).date(), time.max)

    listed = cli.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0
    lines = {line.split()[0]: line for line in listed.output.splitlines() if line[:1] != " "}
    assert "succeeded" in lines["bounty-expiry"]
    assert lines["badge-sweep"].endswith("never run")


def test_the_command_line_refuses_bad_input_clearly(app):
    cli = app.test_cli_runner()
    unknown = cli.invoke(args=["jobs", "run", "nope"])
    assert unknown.exit_code == 1 and "no job named 'nope'" in unknown.output
    bad_date = cli.invoke(args=["jobs", "run", "badge-sweep", "--as-of", "30/11/2026"])
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output
    assert db.session.scalar(select(JobRun)) is None


def test_as_of_takes_a_date_or_a_moment():
    assert parse_as_of("2026-11-30") == datetime(2026, 11, 30, 23, 59, 59, 999999)
    assert parse_as_of("2026-11-30T06:00") == datetime(2026, 11, 30, 6)
    assert parse_as_of(None) is None


def test_progress_draws_a_bar_on_a_terminal_and_logs_otherwise(caplog, monkeypatch):
    stream = io.StringIO()
    bar = Progress("engagement", stream=stream, interactive=True)
    assert list(bar.track(range(5), total=5, label="users")) == [0, 1, 2, 3, 4]
    assert "engagement users [" in stream.getvalue() and "5/5" in stream.getvalue()

    # Alembic's logging setup (the migrations test) disables loggers that existed before.
    monkeypatch.setattr(logging.getLogger("jobs"), "disabled", False)
    caplog.set_level("INFO", logger="jobs")
    logged = Progress("communities", stream=io.StringIO(), interactive=False)
    assert sum(logged.track(iter(range(3)), label="edges")) == 3
    assert "communities edges: 3 done" in caplog.text


def test_overdue_jobs_run_at_start_and_the_others_wait_for_their_tick(app):
    from app.timeutil import utcnow
    from jobs.runner import run_job

    run_job("badge-sweep")  # just ran: waits its 10 minutes
    db.session.add(JobRun(job="points-reconcile", trigger="schedule", as_of=utcnow(),
                          started_at=utcnow() - timedelta(days=2), status=JobStatus.SUCCEEDED))
    db.session.commit()

    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        next_runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    soon = datetime.now(next_runs["badge-sweep"].tzinfo) + timedelta(minutes=1)
    assert next_runs["points-reconcile"] < soon  # idle for two days
    assert next_runs["bounty-expiry"] < soon  # never ran
    assert next_runs["badge-sweep"] > soon


def test_the_app_factory_starts_no_scheduler(app):
    import threading

    from app import create_app

    create_app({"TESTING": True})
    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]
