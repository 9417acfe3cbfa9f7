"""Points history, the privileges page, the profile's level partial and the moderators'
serial-voting findings."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts.profiles import find_profile_user
from app.forum.errors import PermissionDenied
from app.gamification import fair_play, levels, standing
from app.web.pagination import page_number

bp = Blueprint("gamification", __name__)


@bp.get("/u/<username>/points")
def points(username: str):
    user = find_profile_user(username)
    if user is None:
        abort(404)
    if user.username != username:
        args = {k: v for k, v in request.args.items() if k != "username"}
        return redirect(url_for("gamification.points", username=user.username, **args), 301)
    history = standing.points_history(user, current_user, page=page_number())
    return render_template(
        "gamification/points.html", user=user, history=history, progress=levels.progress(user.points)
    )


@bp.get("/privileges")
def privileges():
    return render_template(
        "gamification/privileges.html",
        overview=standing.privilege_overview(current_user),
        levels=levels.LEVELS,
    )


@bp.get("/admin/serial-votes")
@login_required
def serial_votes():
    try:
        findings = fair_play.findings_page(current_user, page=page_number())
    except PermissionDenied:
        abort(403)
    return render_template("gamification/serial_votes.html", findings=findings)


@bp.app_template_global()
def level_progress(user) -> levels.Progress:
    """Level, next level and progress for `_profile_level.html` (no query)."""
    return levels.progress(user.points)


@bp.app_template_global()
def privilege_points(slug: str) -> int:
    """The threshold of a privilege, for "unlocks at N points" hints (forum/_vote.html)."""
    return levels.PRIVILEGES_BY_SLUG[slug].points
