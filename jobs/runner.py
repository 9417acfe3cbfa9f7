"""Run one job: take its lock, record the run, call it, record how it ended.

The same function runs for the scheduler, for `flask jobs run` and for tests. A job
that raises is rolled back, recorded as failed with its traceback and logged; the next
tick simply runs it again. Jobs write their results per batch or swap in a finished
result set at the end, so a run killed half-way leaves the previous results readable.
"""

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.extensions import db
from app.timeutil import utcnow
from jobs.context import JobContext, Progress
from jobs.locks import job_lock
from jobs.models import JobRun, JobStatus
from jobs.registry import Job, all_jobs

log = logging.getLogger("jobs")


class UnknownJob(LookupError):
    pass


@dataclass(frozen=True)
class Outcome:
    """What a call to `run_job` did: `run` is None when another runner held the lock."""

    job: str
    run: JobRun | None

    @property
    def skipped(self) -> bool:
        return self.run is None

    @property
    def ok(self) -> bool:
        return self.run is not None and self.run.status == JobStatus.SUCCEEDED


def find_job(name: str) -> Job:
    jobs = all_jobs()
    if name not in jobs:
        raise UnknownJob(f"no job named {name!r}; known jobs: {', '.join(jobs)}")
    return jobs[name]


def run_job(name: str, *, as_of: datetime | None = None, trigger: str = "manual",
            progress: Progress | None = None) -> Outcome:
    """Run the job `name` now, unless another runner holds it (then skip, record nothing)."""
    job = find_job(name)
    with job_lock(name) as held:
        if not held:
            log.info("job %s is already running elsewhere; skipped", name)
            return Outcome(name, None)
        _abandon_stale_runs(name)
        run = _start(job, as_of or utcnow(), trigger)
        context = JobContext(as_of=run.as_of, progress=progress or Progress(name))
        try:
            counts = job.func(context) or {}
        except Exception:
            db.session.rollback()
            _finish(run, JobStatus.FAILED, error=traceback.format_exc())
            log.exception("job %s failed (run %s)", name, run.id)
        else:
            _finish(run, JobStatus.SUCCEEDED, counts=counts)
            log.info("job %s finished in %.1fs: %s", name, run.seconds or 0.0, counts)
        return Outcome(name, run)


def last_runs() -> dict[str, JobRun]:
    """The latest run of each job, for `flask jobs list` and the staff pages."""
    latest = (
        select(JobRun.job, db.func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    )
    rows = db.session.scalars(select(JobRun).join(latest, latest.c.id == JobRun.id))
    return {run.job: run for run in rows}


def _abandon_stale_runs(name: str) -> None:
    """Holding the lock proves no other run of this job is alive: mark leftovers."""
    db.session.execute(
        update(JobRun)
        .where(JobRun.job == name, JobRun.status == JobStatus.RUNNING)
        .values(status=JobStatus.ABANDONED, finished_at=utcnow())
    )
    db.session.commit()


def _start(job: Job, as_of: datetime, trigger: str) -> JobRun:
    run = JobRun(job=job.name, trigger=trigger, as_of=as_of, started_at=utcnow(),
                 status=JobStatus.RUNNING, counts={})
    db.session.add(run)
    db.session.commit()
    return run


def _finish(run: JobRun, status: str, *, counts: dict | None = None,
            error: str | None = None) -> None:
    run.status = status
    run.finished_at = utcnow()
    run.counts = {key: _plain(value) for key, value in (counts or {}).items()}
    run.error = error
    db.session.commit()


def _plain(value) -> int | float | str:
    """Counts go into JSON: numbers stay numbers (numpy's too), anything else is text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(value) if "." in str(value) else int(value)
    except (TypeError, ValueError):
        return str(value)
