"""Reported private messages: a participant sends one to the moderators, who resolve it.

A private message has neither votes nor a public page, so reports are not ranked with
the flagged posts: the review queue shows the oldest few above them, and the full list
is at /staff/messages/reports.
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.messages import services
from app.messages.models import MessageReport, PrivateMessage
from app.moderation.audit import log_action
from app.moderation.permissions import is_moderator
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

MAX_REASON = 1000
PER_PAGE = 30


def can_review_reports(user) -> bool:
    return is_moderator(user)


def report_message(reporter, message_id: int, *, reason: str) -> MessageReport:
    """Only someone who can read the message may report it, and not their own."""
    message = db.session.get(PrivateMessage, message_id)
    if message is None:
        raise NotFound("No such message.")
    services.check_conversation(reporter, message.conversation_id)
    if message.sender_id == reporter.id:
        raise ValidationError("reason", "You cannot report your own message.")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError("reason", f"Say what is wrong, in up to {MAX_REASON} characters.")
    report = MessageReport(message_id=message.id, reporter_id=reporter.id, reason=reason)
    db.session.add(report)
    db.session.commit()
    return report


def open_reports(*, page: int, per_page: int = PER_PAGE) -> Page:
    """Open reports, oldest first (they have waited longest), with message and people."""
    stmt = (
        select(MessageReport).where(MessageReport.resolved_at.is_(None))
        .options(joinedload(MessageReport.reporter),
                 joinedload(MessageReport.message).joinedload(PrivateMessage.sender))
        .order_by(MessageReport.id)
    )
    return paginate(stmt, page=page, per_page=per_page)


def resolve_report(moderator, report_id: int, *, note: str) -> MessageReport:
    """Close a report, audited with the moderator's note as the reason."""
    if not can_review_reports(moderator):
        raise PermissionDenied("Only moderators can resolve reports.")
    note = (note or "").strip()
    if not note:
        raise ValidationError("note", "Say what you did about it: the log keeps it.")
    report = db.session.get(MessageReport, report_id)
    if report is None:
        raise NotFound("No such report.")
    if report.resolved_at is not None:
        raise Conflict("This report is already resolved.")
    report.resolved_at = utcnow()
    report.resolved_by_id = moderator.id
    log_action(moderator, "resolve_message_report", target=report,
               target_user=report.message.sender, reason=note,
               before={"resolved": False},
               after={"resolved": True, "message_id": report.message_id})
    db.session.commit()
    return report
