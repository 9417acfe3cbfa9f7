"""The moderators' console: an index, a page per subject, and each page's tables as CSV."""

from flask import Blueprint, Response, abort, render_template

from app.moderation.console_queries import PAGES
from app.moderation.permissions import can_read_console
from app.moderation.tables import csv_text
from app.timeutil import utcnow
from app.web.access import allowed_by

bp = Blueprint("console", __name__, url_prefix="/staff/console")


@bp.get("")
@allowed_by(can_read_console)
def index():
    return render_template("moderation/console/index.html", pages=PAGES)


@bp.get("/<name>")
@allowed_by(can_read_console)
def page(name: str):
    if name not in PAGES:
        abort(404)
    return render_template("moderation/console/page.html", name=name, page=PAGES[name](),
                           pages=PAGES)


@bp.get("/<name>/<table>.csv")
@allowed_by(can_read_console)
def table_csv(name: str, table: str):
    found = PAGES[name]().tables.get(table) if name in PAGES else None
    if found is None:
        abort(404)
    filename = f"{name}-{table}-{utcnow():%Y%m%d}.csv"
    return Response(csv_text(found), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
