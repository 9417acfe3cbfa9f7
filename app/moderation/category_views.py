"""Slow mode on a whole category, from the category admin page or a staff page of its own.

Until this page, a category could only be slowed from one of its threads' Moderate
panel; both call the same use case in `content_actions`. The forms sit on the admin's
edit page, which moderators cannot open, so the staff page shows them too, and it is
where a refused submission re-renders with what was typed, as the thread panel does.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.extensions import db
from app.forum.errors import ValidationError
from app.forum.models import Category
from app.forum.permissions import can_manage_categories
from app.moderation import content_actions
from app.moderation.forms import CategorySlowModeForm
from app.moderation.permissions import is_moderator
from app.web.access import allowed_by

bp = Blueprint("category_moderation", __name__)


@bp.app_template_global()
def category_slow_mode_forms(category: Category, submitted: dict | None = None) -> dict:
    """{"slow": form, "slow_off": form (only while slow mode is on)}; a form just
    submitted keeps what was typed."""
    names = ["slow", "slow_off"] if category.slow_mode_minutes else ["slow"]
    submitted = submitted or {}
    return {name: submitted.get(name) or CategorySlowModeForm(prefix=name, formdata=None)
            for name in names}


@bp.get("/staff/categories/<int:category_id>/slow-mode")
@allowed_by(is_moderator)
def page(category_id: int):
    return _render(db.get_or_404(Category, category_id), {})


@bp.post("/staff/categories/<int:category_id>/slow-mode")
@allowed_by(is_moderator)
def slow(category_id: int):
    return _submit(category_id, "slow", "Slow mode is on for the category.",
                   lambda form: content_actions.set_category_slow_mode(
                       current_user, category_id, minutes=form.minutes.data,
                       reason=form.reason.data))


@bp.post("/staff/categories/<int:category_id>/slow-mode/end")
@allowed_by(is_moderator)
def slow_off(category_id: int):
    return _submit(category_id, "slow_off", "Slow mode is off for the category.",
                   lambda form: content_actions.end_category_slow_mode(
                       current_user, category_id, reason=form.reason.data))


def _submit(category_id: int, name: str, done: str, run):
    form = CategorySlowModeForm(prefix=name)
    if form.validate_on_submit():
        try:
            category = run(form)
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(done, "success")
            return redirect(_back_to(category))
    return _render(db.get_or_404(Category, category_id), {name: form}, status=422)


def _back_to(category: Category) -> str:
    """Where the forms were: the edit page for admins, this staff page for moderators."""
    if can_manage_categories(current_user):
        return url_for("browse.edit_category", category_id=category.id)
    return url_for("category_moderation.page", category_id=category.id)


def _render(category: Category, submitted: dict, *, status: int = 200):
    return render_template("moderation/category_slow_mode.html", category=category,
                           forms=category_slow_mode_forms(category, submitted)), status
