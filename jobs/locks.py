"""One runner per job at a time, across processes: a manual run, the scheduler, a second
scheduler on another machine.

PostgreSQL: a session-level advisory lock held on a connection of its own for the whole
run; it is freed by the server when that connection closes, so a killed process never
leaves it held. SQLite: a `JobLock` row with a lease; a run that outlives its lease may
be joined by another, so the lease is generous.
"""

import os
import socket
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.timeutil import utcnow
from jobs.models import JobLock

LEASE = timedelta(hours=2)


@contextmanager
def job_lock(name: str, *, lease: timedelta = LEASE) -> Iterator[bool]:
    """Yield True while holding the lock for `name`, or False at once when it is taken."""
    if db.engine.dialect.name == "postgresql":
        with _advisory_lock(name) as held:
            yield held
    else:
        with _lease_lock(name, lease) as held:
            yield held


def _advisory_key(name: str) -> int:
    """A stable 32-bit key per job name (Python's hash() changes between processes)."""
    return zlib.crc32(f"guildhall-job:{name}".encode())


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    key = _advisory_key(name)
    with db.engine.connect() as conn:
        held = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        conn.commit()
        try:
            yield bool(held)
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


@contextmanager
def _lease_lock(name: str, lease: timedelta) -> Iterator[bool]:
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    held = _take_lease(name, holder, lease)
    try:
        yield held
    finally:
        if held:
            with db.engine.begin() as conn:
                conn.execute(delete(JobLock).where(JobLock.name == name,
                                                   JobLock.holder == holder))


def _take_lease(name: str, holder: str, lease: timedelta) -> bool:
    """Insert the lock row, or take over one whose lease ran out; each in one statement,
    so two processes racing for it cannot both win."""
    now = utcnow()
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(JobLock).values(name=name, holder=holder,
                                                expires_at=now + lease))
        return True
    except IntegrityError:
        pass
    with db.engine.begin() as conn:
        taken = conn.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.expires_at < now)
            .values(holder=holder, expires_at=now + lease)
        )
    return taken.rowcount == 1
