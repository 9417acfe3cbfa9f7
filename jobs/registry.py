"""The job registry: what runs, how often, and what it is for.

A job is a function of a `JobContext` that returns counts (rows read, rows written...)
for the run record. Job modules register themselves with `@job(...)`; `all_jobs()`
imports them, so the registry is complete wherever it is read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module

from jobs.context import JobContext

JobFunc = Callable[[JobContext], dict[str, int] | None]

JOB_MODULES = (
    "jobs.maintenance",
    "jobs.engagement",
    "jobs.communities",
    "jobs.recommendations",
    "jobs.outreach",
    "jobs.notification_emails",
)


@dataclass(frozen=True)
class Schedule:
    """Every `minutes` minutes, or once a day at `hour`:`minute` UTC."""

    minutes: int | None = None
    hour: int | None = None
    minute: int = 0

    def __post_init__(self) -> None:
        if (self.minutes is None) == (self.hour is None):
            raise ValueError("a schedule is either every N minutes or daily at an hour")

    @property
    def trigger(self) -> tuple[str, dict]:
        """APScheduler's trigger name and arguments for this schedule."""
        if self.minutes is not None:
            return "interval", {"minutes": self.minutes}
        return "cron", {"hour": self.hour, "minute": self.minute}

    @property
    def period(self) -> timedelta:
        """The longest gap between two runs on time: a job idle longer is overdue."""
        return timedelta(minutes=self.minutes) if self.minutes is not None else timedelta(days=1)

    def __str__(self) -> str:
        if self.minutes is not None:
            if self.minutes % 60 == 0:
                hours = self.minutes // 60
                return "every hour" if hours == 1 else f"every {hours} hours"
            return "every minute" if self.minutes == 1 else f"every {self.minutes} minutes"
        return f"daily at {self.hour:02d}:{self.minute:02d} UTC"


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc = field(repr=False)
    schedule: Schedule
    description: str


_registry: dict[str, Job] = {}


def job(name: str, schedule: Schedule, description: str) -> Callable[[JobFunc], JobFunc]:
    """Register `func` as the job `name`; registering the same name again replaces it."""

    def register(func: JobFunc) -> JobFunc:
        _registry[name] = Job(name, func, schedule, description)
        return func

    return register


def all_jobs() -> dict[str, Job]:
    for module in JOB_MODULES:
        import_module(module)
    return dict(sorted(_registry.items()))
