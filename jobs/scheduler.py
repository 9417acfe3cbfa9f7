"""The scheduler: every registered job on its schedule, each run through `run_job`.

Only `flask jobs serve` starts one (blocking, or in the background beside the
development server for `make run`); the app factory and web workers never do, so a
gunicorn with eight workers still runs each job once. Across processes the database
lock in `run_job` keeps runs of one job apart.
"""

import logging
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app.extensions import db
from app.timeutil import utcnow
from jobs.context import Progress
from jobs.registry import all_jobs
from jobs.runner import last_runs, run_job

log = logging.getLogger("jobs")

# A run due while the scheduler was down or busy still happens once (coalesced), if
# it is no older than this; longer gaps wait for the next tick.
MISFIRE_GRACE_SECONDS = 30 * 60


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler,
                    ) -> BaseScheduler:
    """Every job on its schedule; a job that is overdue (never run, or idle longer than its
    period, as after downtime) also runs once at start."""
    with app.app_context():
        overdue = _overdue_jobs()
        # SQLite takes one writer at a time: jobs queue behind each other there.
        workers = 1 if db.engine.dialect.name == "sqlite" else 4
    scheduler = scheduler_class(
        timezone="UTC",
        executors={"default": ThreadPoolExecutor(max_workers=workers)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
    started = datetime.now(UTC)
    for job in all_jobs().values():
        trigger, arguments = job.schedule.trigger
        extra = {"next_run_time": started} if job.name in overdue else {}
        scheduler.add_job(_run_scheduled, trigger, args=(app, job.name), id=job.name,
                          name=job.description, replace_existing=True, **arguments, **extra)
    return scheduler


def _overdue_jobs() -> set[str]:
    runs = last_runs()
    now = utcnow()
    return {
        job.name for job in all_jobs().values()
        if job.name not in runs or runs[job.name].started_at + job.schedule.period < now
    }


def _run_scheduled(app: Flask, name: str) -> None:
    """Never raises: a failure is recorded on the run and logged; the next tick retries."""
    with app.app_context():
        try:
            run_job(name, trigger="schedule", progress=Progress(name, interactive=False))
        except Exception:  # the lock or the run record itself failed (database down...)
            log.exception("job %s could not run", name)
