"""The staff page of the outreach report: did the emails bring people back?"""

from flask import Blueprint, render_template

from app.outreach import uplift
from app.outreach.permissions import can_read_report
from app.outreach.report import outreach_report
from app.web.access import allowed_by

bp = Blueprint("outreach_report", __name__)


@bp.get("/staff/outreach")
@allowed_by(can_read_report)
def report():
    return render_template("outreach/report.html", reports=outreach_report(),
                           rate=uplift.format_rate, difference=uplift.format_difference,
                           verdict=uplift.verdict)
