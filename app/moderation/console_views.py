"""The moderators' console: an index, a page per subject, each page's tables as CSV, and
a page per community."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from app.moderation.console_communities import community_detail
from app.moderation.console_queries import PAGES
from app.moderation.permissions import can_read_console, can_read_console_page
from app.moderation.tables import csv_text
from app.timeutil import utcnow
from app.web.access import allowed_by
from app.web.pagination import page_number

bp = Blueprint("console", __name__, url_prefix="/staff/console")


@bp.get("")
@allowed_by(can_read_console)
def index():
    return render_template("moderation/console/index.html", pages=_readable_pages())


@bp.get("/<name>")
@allowed_by(can_read_console)
def page(name: str):
    return render_template("moderation/console/page.html", name=name, page=_page(name)(),
                           pages=_readable_pages())


@bp.get("/<name>/<table>.csv")
@allowed_by(can_read_console)
def table_csv(name: str, table: str):
    found = _page(name)().tables.get(table)
    if found is None:
        abort(404)
    filename = f"{name}-{table}-{utcnow():%Y%m%d}.csv"
    return Response(csv_text(found), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/communities/<int:community_key>")
@allowed_by(can_read_console)
def community(community_key: int):
    return render_template("moderation/console/community.html", name="communities",
                           detail=community_detail(community_key, page=page_number()),
                           pages=_readable_pages())


def _page(name: str):
    """The page's builder: 404 for no such page, 403 for one this staff member may not read."""
    if name not in PAGES:
        abort(404)
    if not can_read_console_page(current_user, name):
        abort(403)
    return PAGES[name]


def _readable_pages() -> list[str]:
    return [name for name in PAGES if can_read_console_page(current_user, name)]
