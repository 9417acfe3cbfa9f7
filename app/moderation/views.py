"""The staff pages of moderation: the audit log, browsable, filterable and as CSV."""

from flask import Blueprint, Response, render_template, request, stream_with_context

from app.moderation import audit
from app.moderation.permissions import can_read_audit_log
from app.timeutil import utcnow
from app.web.access import allowed_by
from app.web.pagination import page_number

bp = Blueprint("moderation", __name__)


def _filters() -> audit.AuditFilter:
    return audit.AuditFilter(actor=request.args.get("actor", "")[:30],
                             action=request.args.get("action", "")[:40],
                             user=request.args.get("user", "")[:30])


@bp.get("/staff/audit")
@allowed_by(can_read_audit_log)
def audit_log():
    filters = _filters()
    page, people = audit.entries_page(filters, page=page_number())
    return render_template("moderation/audit.html", page=page, people=people,
                           filters=filters, actions=audit.actions_in_use())


@bp.get("/staff/audit.csv")
@allowed_by(can_read_audit_log)
def audit_csv():
    filename = f"audit-log-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(audit.csv_lines(_filters())), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
