"""Delivering logged messages: one SMTP connection per batch, a rate limit, bounded retries.

The outreach jobs first write one `EmailMessage` row per person, pending (the unique
(user, campaign, period) key makes that idempotent), then call `deliver` with a function
that renders a row into an `Outgoing` message. Each row is claimed before it is sent: an
UPDATE from pending to sending that only one runner can win, committed before the mail
server sees anything, so two runners never send the same row. A row a crash left in
`sending` may or may not have gone out; `deliver` marks it failed rather than risk a
second copy. A send that fails for a passing reason (server busy) goes back to pending
and is tried again on the next run, up to MAX_ATTEMPTS; when the server cannot be reached
at all the run stops and leaves the rest pending; a refused address is recorded as a
bounce and nothing more is sent to it.
"""

import contextlib
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage as MimeMessage
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.outreach.mailer import build_message, open_smtp, write_outbox
from app.outreach.models import EmailBounce, EmailMessage, MessageStatus
from app.timeutil import utcnow

MAX_ATTEMPTS = 3
INTERRUPTED_AFTER = timedelta(minutes=15)  # a claim this old belongs to a dead runner
DEFAULT_RATE = 10.0                        # messages per second, unless configured


@dataclass(frozen=True)
class Outgoing:
    """A rendered message for one row (None from the renderer: nothing to send)."""

    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0
    stopped_early: int = 0  # 1 when the mail server went away mid-run

    def count_retry(self, again: bool) -> None:
        if again:
            self.retrying += 1
        else:
            self.failed += 1

    def as_counts(self) -> dict[str, int]:
        return dict(vars(self))


class Postman:
    """Hands messages to the mail server over one connection (reopened if it drops), no
    faster than `rate` per second; without MAIL_SERVER, writes them to the outbox."""

    def __init__(self, config, rate: float | None = None) -> None:
        self.config = config
        rate = rate or float(config.get("OUTREACH_SEND_RATE") or DEFAULT_RATE)
        self.interval = 1.0 / rate
        self._smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def __enter__(self) -> "Postman":
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def send(self, message: MimeMessage) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        if not self.config.get("MAIL_SERVER"):
            write_outbox(message, Path(self.config["MAIL_OUTBOX_DIR"]))
            return
        if self._smtp is None:
            self._smtp = open_smtp(self.config)
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPServerDisconnected):
            self._drop()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def deliver(message_ids: Iterable[int], render: Callable[[EmailMessage, User], Outgoing | None],
            *, now: datetime | None = None, rate: float | None = None,
            track: Callable[[Iterable], Iterable] = iter) -> Delivery:
    """Send each pending row of `message_ids` once, in order; returns what happened."""
    now = now or utcnow()
    delivery = Delivery(interrupted=fail_interrupted(now))
    with Postman(current_app.config, rate) as postman:
        for message_id in track(list(message_ids)):
            if not _claim(message_id, now):
                continue  # sent, held out, or another runner has it
            row = db.session.get(EmailMessage, message_id)
            user = db.session.get(User, row.user_id)
            outgoing = render(row, user) if user is not None and not user.is_deleted else None
            if outgoing is None:
                _finish(row, MessageStatus.SKIPPED)
                delivery.skipped += 1
                continue
            row.subject = outgoing.subject[:200]
            try:
                postman.send(build_message(user.email, outgoing.subject, outgoing.text,
                                           outgoing.html, outgoing.headers))
            except smtplib.SMTPRecipientsRefused as error:
                _bounce(row, user, error)
                delivery.failed += 1
            except (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
                # The server is unreachable: the rest stay pending for the next run
                # rather than each spending an attempt on a server that is down.
                delivery.count_retry(_retry_later(row, error))
                delivery.stopped_early = 1
                break
            except smtplib.SMTPException as error:
                delivery.count_retry(_retry_later(row, error))
            else:
                _finish(row, MessageStatus.SENT, sent_at=utcnow())
                delivery.sent += 1
    return delivery


def pending_ids(campaign: str) -> list[int]:
    return list(db.session.scalars(
        select(EmailMessage.id).where(EmailMessage.campaign == campaign,
                                      EmailMessage.status == MessageStatus.PENDING)
        .order_by(EmailMessage.id)))


def bounced_user_ids(user_ids) -> set[int]:
    ids = list(user_ids)
    return set(db.session.scalars(
        select(EmailBounce.user_id).where(EmailBounce.user_id.in_(ids)))) if ids else set()


def fail_interrupted(now: datetime) -> int:
    """Rows claimed long ago by a runner that never finished: failed, not resent."""
    result = db.session.execute(
        update(EmailMessage)
        .where(EmailMessage.status == MessageStatus.SENDING,
               EmailMessage.claimed_at < now - INTERRUPTED_AFTER)
        .values(status=MessageStatus.FAILED,
                error="interrupted while sending; not resent in case it went out"))
    db.session.commit()
    return result.rowcount


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(EmailMessage)
        .where(EmailMessage.id == message_id, EmailMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENDING, claimed_at=now,
                attempts=EmailMessage.attempts + 1)).rowcount == 1
    db.session.commit()
    return claimed


def _finish(row: EmailMessage, status: str, **values) -> None:
    row.status = status
    for name, value in values.items():
        setattr(row, name, value)
    db.session.commit()


def _retry_later(row: EmailMessage, error: Exception) -> bool:
    again = row.attempts < MAX_ATTEMPTS
    _finish(row, MessageStatus.PENDING if again else MessageStatus.FAILED,
            error=f"attempt {row.attempts}: {error}"[:2000])
    current_app.logger.warning("Email %s to user %s failed (%s): %s", row.id, row.user_id,
                               "will retry" if again else "giving up", error)
    return again


def _bounce(row: EmailMessage, user: User, error: Exception) -> None:
    db.session.add(EmailBounce(user_id=user.id, email=user.email, reason=str(error)[:2000]))
    _finish(row, MessageStatus.FAILED, error=f"refused: {error}"[:2000])
