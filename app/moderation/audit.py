"""Writing and reading the audit log. `log_action` joins the caller's transaction, so an
action and its entry commit together or not at all; nothing here updates or deletes."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from app.accounts.models import User
from app.accounts.rules import username_key
from app.database import subject_ref
from app.extensions import db
from app.moderation.models import AuditEntry
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

PER_PAGE = 50
CSV_COLUMNS = ("at", "actor", "action", "target_type", "target_id", "target_user", "reason",
               "before", "after")


def log_action(actor, action: str, *, target=None, target_user=None, reason: str = "",
               before: dict | None = None, after: dict | None = None,
               at: datetime | None = None) -> AuditEntry:
    """Append one entry; `actor` None means the system (a scheduled job). Never commits."""
    target_type, target_id = subject_ref(target)
    entry = AuditEntry(
        at=at or utcnow(), actor_id=getattr(actor, "id", None), action=action,
        target_type=target_type, target_id=target_id,
        target_user_id=getattr(target_user, "id", target_user),
        reason=reason or "", before=before or {}, after=after or {})
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the log page filters on; empty fields filter nothing."""

    actor: str = ""     # username of the moderator or admin
    action: str = ""
    user: str = ""      # username of the person affected

    def statement(self) -> Select:
        stmt = select(AuditEntry)
        if self.actor:
            stmt = stmt.where(AuditEntry.actor_id == _user_id(self.actor))
        if self.action:
            stmt = stmt.where(AuditEntry.action == self.action)
        if self.user:
            stmt = stmt.where(AuditEntry.target_user_id == _user_id(self.user))
        return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def entries_page(filters: AuditFilter, *, page: int) -> tuple[Page, dict[int, User]]:
    """A page of entries, newest first, with the people they name (one query)."""
    found = paginate(filters.statement(), page=page, per_page=PER_PAGE)
    return found, _people(found.items)


def actions_in_use() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct()
                                   .order_by(AuditEntry.action)))


def csv_lines(filters: AuditFilter, *, batch: int = 1_000) -> Iterator[str]:
    """The filtered log as CSV, streamed in batches so a long log never sits in memory."""
    yield _csv_line(CSV_COLUMNS)
    stmt = filters.statement().execution_options(yield_per=batch)
    for chunk in db.session.scalars(stmt).partitions():
        people = _people(chunk)
        for entry in chunk:
            yield _csv_line((
                entry.at.isoformat(sep=" ", timespec="seconds"),
                _name(people, entry.actor_id, "system"), entry.action,
                entry.target_type or "", entry.target_id or "",
                _name(people, entry.target_user_id, ""), entry.reason,
                _json(entry.before), _json(entry.after)))


def _user_id(username: str) -> int:
    """The id of `username`, or -1 (matching nothing) for an unknown name."""
    found = db.session.scalar(select(User.id).where(User.username_key == username_key(username)))
    return found if found is not None else -1


def _people(items) -> dict[int, User]:
    ids = {i for entry in items for i in (entry.actor_id, entry.target_user_id) if i}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} \
        if ids else {}


def _name(people: dict[int, User], user_id: int | None, missing: str) -> str:
    user = people.get(user_id) if user_id else None
    return user.username if user else (missing if user_id is None else f"#{user_id}")


def _json(value: dict) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""


def _csv_line(values) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()
