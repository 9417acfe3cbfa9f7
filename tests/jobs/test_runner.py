"""The job runner on a real database: runs recorded, failures kept, one runner at a time."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow
from jobs import registry
from jobs.locks import job_lock
from jobs.models import JobLock, JobRun, JobStatus
from jobs.registry import Schedule, job
from jobs.runner import UnknownJob, last_runs, run_job
from tests.fixtures.users import make_user


@pytest.fixture
def test_jobs(monkeypatch):
    """A job that counts users and one that writes, then fails; removed afterwards."""
    registry.all_jobs()  # the real jobs first, so they stay registered after this test
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    seen = []

    @job("count-users", Schedule(minutes=5), "Count the users.")
    def count_users(ctx):
        seen.append(ctx.as_of)
        return {"users": db.session.scalar(select(func.count()).select_from(User))}

    @job("half-done", Schedule(hour=4), "Writes a row, then breaks.")
    def half_done(ctx):
        db.session.add(User(username="written", username_key="written",
                            email="written@example.com", password_hash="x"))
        db.session.flush()
        raise ValueError("the data source went away")

    return seen


def test_a_run_is_recorded_with_its_moment_and_counts(app, test_jobs):
    make_user()
    make_user()
    make_user()
    as_of = datetime(2026, 11, 30, 23, 59)
    outcome = run_job("count-users", as_of=as_of)

    assert outcome.ok
    run = db.session.get(JobRun, outcome.run.id)
    assert (run.job, run.status, run.trigger, run.as_of) == (
        "count-users", JobStatus.SUCCEEDED, "manual", as_of)
    assert run.counts == {"users": 3}
    assert run.finished_at >= run.started_at
    assert test_jobs == [as_of]


def test_a_failed_run_keeps_its_traceback_and_rolls_back_its_writes(app, test_jobs):
    outcome = run_job("half-done")

    assert not outcome.ok
    run = db.session.get(JobRun, outcome.run.id)
    assert run.status == JobStatus.FAILED
    assert "ValueError: the data source went away" in run.error
    assert "Traceback" in run.error
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
    assert db.session.scalar(select(User).where(User.username == "written")) is None


def test_the_next_tick_runs_again_after_a_failure(app, test_jobs):
    run_job("half-done")
    run_job("count-users")
    latest = last_runs()
    assert latest["half-done"].status == JobStatus.FAILED
    assert latest["count-users"].status == JobStatus.SUCCEEDED


def test_a_job_held_elsewhere_is_skipped_and_not_recorded(app, test_jobs):
    with job_lock("count-users") as held:
        assert held
        outcome = run_job("count-users")
    assert outcome.skipped
    assert test_jobs == []
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
    assert run_job("count-users").ok  # released on the way out


def test_the_lock_is_per_job(app, test_jobs):
    with job_lock("half-done") as held:
        assert held
        assert run_job("count-users").ok


def test_a_lock_cannot_be_taken_twice(app):
    with job_lock("x") as first, job_lock("x") as second:
        assert (first, second) == (True, False)
    with job_lock("x") as again:
        assert again


def test_a_lease_left_by_a_killed_process_runs_out(app, test_jobs):
    if db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL frees an advisory lock when its connection closes; no lease")
    db.session.add(JobLock(name="count-users", holder="gone:1",
                           expires_at=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert run_job("count-users").skipped

    db.session.get(JobLock, "count-users").expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert run_job("count-users").ok
    assert db.session.get(JobLock, "count-users") is None  # released after the run


def test_a_run_left_running_by_a_dead_process_is_marked_abandoned(app, test_jobs):
    db.session.add(JobRun(job="count-users", trigger="schedule", as_of=utcnow(),
                          started_at=utcnow() - timedelta(hours=3), status=JobStatus.RUNNING))
    db.session.commit()

    run_job("count-users")

    statuses = db.session.scalars(select(JobRun.status).order_by(JobRun.id)).all()
    assert statuses == [JobStatus.ABANDONED, JobStatus.SUCCEEDED]


def test_an_unknown_job_is_named(app):
    with pytest.raises(UnknownJob, match="no job named 'nope'; known jobs: badge-sweep"):
        run_job("nope")
