"""Leaderboards page, and the profile's streak and activity calendar partial."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.gamification import leaderboards
from app.gamification.activity import user_activity
from app.web.pagination import page_number
from app.web.visitor_cache import cached_for_visitors

bp = Blueprint("leaderboards", __name__)


@bp.get("/leaderboards")
@cached_for_visitors
def board():
    query = leaderboards.BoardQuery.parse(request.args)
    board = leaderboards.leaderboard(query, current_user, page=page_number())
    page = render_template(
        "gamification/leaderboards.html",
        board=board,
        periods=leaderboards.PERIOD_LABELS,
        boards=leaderboards.BOARDS,
        rising_days=leaderboards.RISING_DAYS,
    )
    return page, 404 if board.unknown_tag else 200


@bp.app_template_global()
def activity_for(user):
    """Streaks and calendar for `_profile_streak.html` (one query)."""
    return user_activity(user)
