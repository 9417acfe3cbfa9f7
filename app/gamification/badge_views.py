"""Badge pages: every badge with its holders, one badge, a user's badges."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.gamification import badge_pages
from app.web.pagination import page_number

bp = Blueprint("badges", __name__)


@bp.get("/badges")
def index():
    return render_template("gamification/badges.html", catalogue=badge_pages.catalogue(current_user))


@bp.get("/badges/<slug>")
def badge(slug):
    holders = badge_pages.badge_holders(slug, current_user, page=page_number())
    if holders is None:
        abort(404, "There is no badge by that name. See the list of all badges.")
    return render_template("gamification/badge.html", holders=holders)


@bp.app_template_global()
def badges_for(user):
    """A profile's badges for `_profile_badges.html` (one query)."""
    return badge_pages.user_badges(user)
