"""The console's jobs page: every scheduled job with its last run, and the latest runs.

The jobs come from the registry rather than from the runs, so a job that never ran is
listed too, as "never". A failed or abandoned run is marked to stand out; its error is
the last line of the traceback, the one that names the exception (2 queries).
"""


from sqlalchemy import select

from app.extensions import db
from app.moderation.tables import Alert, ConsolePage, Table
from jobs.models import JobRun, JobStatus
from jobs.registry import all_jobs
from jobs.runner import last_runs

RECENT_RUNS = 50
TROUBLE = frozenset({JobStatus.FAILED, JobStatus.ABANDONED})
RUN_COLUMNS = ("started", "duration", "status", "counts", "error")


def jobs_page() -> ConsolePage:
    jobs = all_jobs()
    last = last_runs()
    recent = db.session.scalars(select(JobRun).order_by(
        JobRun.started_at.desc(), JobRun.id.desc()).limit(RECENT_RUNS)).all()
    failing = [name for name in jobs if name in last and last[name].status in TROUBLE]
    return ConsolePage(
        "Jobs", "The scheduled jobs with their last run, then the latest runs of them all. "
        "Times are UTC.",
        figures=[("Jobs", str(len(jobs))), ("Last run failed", str(len(failing))),
                 ("Never run", str(sum(name not in last for name in jobs)))],
        tables={
            "jobs": Table("Scheduled jobs", ("job", "schedule", *RUN_COLUMNS), [
                (name, str(job.schedule), *_run_cells(last.get(name)))
                for name, job in jobs.items()]),
            "runs": Table(f"The last {RECENT_RUNS} runs", ("job", "trigger", *RUN_COLUMNS), [
                (run.job, run.trigger, *_run_cells(run)) for run in recent]),
        })


def _run_cells(run: JobRun | None) -> tuple:
    if run is None:
        return (None, None, "never", None, None)
    status = Alert(run.status) if run.status in TROUBLE else run.status
    return (f"{run.started_at:%Y-%m-%d %H:%M:%S}", duration(run.seconds), status,
            run.counts_text or None, run.error_line)


def duration(seconds: float | None) -> str | None:
    """A run's length in words: "4.2 s", "2 min 5 s", "1 h 3 min"."""
    if seconds is None:
        return None
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, second = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {second} s"
    return f"{minutes // 60} h {minutes % 60} min"
