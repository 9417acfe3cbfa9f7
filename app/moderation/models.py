"""Moderation tables: flags, flaggers' accuracy, and the audit log.

The audit log: one row per moderator or admin action, never changed or removed.

The database enforces it: triggers refuse any UPDATE or DELETE on the table (created with
the table, by the migration and by `create_all`), so not even a bug in our code can
rewrite history. Who acted and who was affected are plain ids, not foreign keys, for the
same reason: nothing that happens to an account later may touch its entries.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    DDL,
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class AuditEntry(db.Model):
    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_actor_at", "actor_id", "at"),
        Index("ix_audit_entry_action_at", "action", "at"),
        Index("ix_audit_entry_target_user_at", "target_user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)        # None: the system
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_user_id: Mapped[int | None] = mapped_column(Integer)  # whose content or account
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)


APPEND_ONLY_SQLITE = [
    f"CREATE TRIGGER audit_entry_no_{verb} BEFORE {verb.upper()} ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("update", "delete")
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
    "ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()",
]
DROP_APPEND_ONLY_POSTGRESQL = "DROP FUNCTION IF EXISTS audit_entry_append_only() CASCADE"

for _statement in APPEND_ONLY_SQLITE:
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(AuditEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
event.listen(AuditEntry.__table__, "after_drop",
             DDL(DROP_APPEND_ONLY_POSTGRESQL).execute_if(dialect="postgresql"))


class FlagStatus(StrEnum):
    OPEN = "open"
    AGREED = "agreed"        # moderators hid or deleted the post
    DISAGREED = "disagreed"  # the post was fine
    IGNORED = "ignored"      # closed without a verdict; counts for no one's accuracy


class Flag(db.Model):
    """One person's report of one post; the review queue decides all open flags of a
    post at once. The unique key makes a second flag on the same post an error."""

    __table_args__ = (
        UniqueConstraint("post_id", "flagger_id"),
        Index("ix_flag_status_post", "status", "post_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    flagger_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=FlagStatus.OPEN)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    flagger: Mapped["User"] = relationship(foreign_keys=[flagger_id])  # noqa: F821
    duplicate_of: Mapped["Thread | None"] = relationship()  # noqa: F821


class FlaggerAccuracy(db.Model):
    """How often a person's decided flags were agreed with: it weighs their next flags."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    agreed: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)


class HeldStatus(StrEnum):
    OPEN = "open"            # waiting in the review queue
    APPROVED = "approved"    # a moderator published it
    DELETED = "deleted"      # a moderator deleted it


class HeldPost(db.Model):
    """A post the spam check held: hidden until a moderator approves or deletes it, and
    listed in the review queue with the rule (of `spam_rules.RULES`) that fired."""

    __table_args__ = (Index("ix_held_post_status_held_at", "status", "held_at"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    rule: Mapped[str] = mapped_column(String(20))
    held_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=HeldStatus.OPEN)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
