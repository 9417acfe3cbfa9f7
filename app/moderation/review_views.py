"""The review queue for moderators, and hiding or restoring a single post."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.forum.views import post_url
from app.messages import reports
from app.moderation import hiding, review
from app.moderation.flag_rules import REASONS
from app.web.access import allowed_by
from app.web.pagination import page_number

bp = Blueprint("review", __name__)

REPORTS_SHOWN = 5  # reported private messages shown above the flagged posts


def _viewer():
    return current_user._get_current_object()


def _reason() -> str:
    return request.form.get("reason", "")[:200]


@bp.get("/staff/review")
@allowed_by(review.can_review)
def queue():
    return render_template("moderation/review.html", page=review.queue_page(page=page_number()),
                           reasons=REASONS,
                           message_reports=reports.open_reports(page=1, per_page=REPORTS_SHOWN))


@bp.post("/staff/review/<int:post_id>")
@allowed_by(review.can_review)
def resolve(post_id: int):
    return _verdict(review.resolve_flags, post_id)


@bp.post("/staff/review/held/<int:post_id>")
@allowed_by(review.can_review)
def decide_held(post_id: int):
    return _verdict(review.decide_held, post_id)


def _verdict(decide, post_id: int):
    """Apply the form's verdict with `decide`, then back to the same page of the queue."""
    message = decide(_viewer(), post_id, verdict=request.form.get("verdict", ""),
                     reason=_reason())
    flash(message, "success")
    return redirect(url_for("review.queue", page=request.args.get("page", type=int)))


@bp.post("/staff/posts/<int:post_id>/hide")
@allowed_by(review.can_review)
def hide(post_id: int):
    post = hiding.hide_post(_viewer(), post_id, reason=_reason())
    flash("The post is hidden from everyone but its author and staff.", "success")
    return redirect(post_url(post))


@bp.post("/staff/posts/<int:post_id>/restore")
@allowed_by(review.can_review)
def restore(post_id: int):
    post = hiding.restore_post(_viewer(), post_id, reason=_reason())
    flash("The post is visible again.", "success")
    return redirect(post_url(post))
