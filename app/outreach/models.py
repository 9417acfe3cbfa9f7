"""The email log and each person's email preferences.

Every message the outreach jobs consider is one `EmailMessage` row, written before it is
sent and keyed by (user, campaign, period): a re-run, a crash half-way or a second runner
finds the row and never sends a second copy. Hold-out rows are selected but never sent;
the uplift report compares their returns with those of the sent ones.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class MessageStatus:
    PENDING = "pending"      # selected, not yet handed to the mail server
    SENDING = "sending"      # claimed by a runner that is handing it over right now
    SENT = "sent"
    FAILED = "failed"        # gave up after the allowed attempts
    HELD_OUT = "held_out"    # selected, deliberately not sent (the control group)
    SKIPPED = "skipped"      # selected, then found to have nothing to say or no consent


class EmailMessage(db.Model):
    __table_args__ = (
        UniqueConstraint("user_id", "campaign", "period", name="uq_email_message_key"),
        Index("ix_email_message_status", "status", "campaign"),
        Index("ix_email_message_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))         # a preferences.KINDS key
    campaign: Mapped[str] = mapped_column(String(60))
    variant: Mapped[str] = mapped_column(String(20), default="")
    period: Mapped[str] = mapped_column(String(40))       # e.g. the day, or a batch key
    subject: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    clicked_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)


class EmailPreference(db.Model):
    """A person's choice for one kind of email; no row means the kind's default."""

    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_email_preference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    mode: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EmailBounce(db.Model):
    """An address the mail server refused for good: nothing more goes to it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
