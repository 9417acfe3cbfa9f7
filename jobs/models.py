"""Run records and the lock rows that keep two runs of one job apart."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class JobStatus:
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    # A run found still `running` when the next run took the lock: its process died.
    ABANDONED = "abandoned"


class JobRun(db.Model):
    """One run of one job: when, for which moment, how it ended and what it counted."""

    __table_args__ = (Index("ix_job_run_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | manual
    as_of: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.RUNNING)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def counts_text(self) -> str:
        """The counts in a few words: "selected 7 · sent 5"."""
        return " · ".join(f"{key} {value}" for key, value in (self.counts or {}).items())

    @property
    def error_line(self) -> str | None:
        """The error's last line: of a traceback, the one that names the exception."""
        lines = (self.error or "").strip().splitlines()
        return lines[-1] if lines else None


class JobLock(db.Model):
    """The single-runner lock on SQLite: a row per held job, with a lease.

    PostgreSQL uses an advisory lock instead (`jobs.locks`); a lease that runs out frees
    the lock of a process that was killed without releasing it.
    """

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
