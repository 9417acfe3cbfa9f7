"""Notifications pages: the list, mark one or all as read, and the unread count in the nav."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from app.notifications import services
from app.web.pagination import page_number

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    page = services.notifications_page(current_user, page=page_number())
    return render_template("notifications/index.html", page=page)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    notification = services.mark_read(current_user, notification_id)
    if notification is None:
        abort(404)
    return redirect(notification_url(notification))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    marked = services.mark_all_read(current_user)
    if marked:
        flash(f"Marked {marked} {'notification' if marked == 1 else 'notifications'} as read.",
              "success")
    else:
        flash("You had no unread notifications.", "info")
    return redirect(url_for("notifications.index"))


@bp.app_template_global()
def notification_url(notification) -> str:
    """Where a notification leads: the post, the thread, the badge or the privileges."""
    data = notification.data or {}
    if notification.kind == "badge" and data.get("badge") and has_endpoint("badges.badge"):
        return url_for("badges.badge", slug=data["badge"])
    if notification.kind in ("level_up", "privilege") and has_endpoint("gamification.privileges"):
        return url_for("gamification.privileges")
    if notification.kind in ("membership", "payment_failed"):
        return url_for("billing.manage")
    if notification.kind == "refund":
        return url_for("billing.events")
    if notification.kind == "message" and data.get("conversation_id"):
        return url_for("messages.conversation", conversation_id=data["conversation_id"])
    if notification.kind == "competition" and has_endpoint("competitions.competition"):
        return url_for("competitions.competition", slug=data.get("slug"))
    if data.get("post_id"):
        return url_for("forum.post", post_id=data["post_id"])
    thread_id = services.thread_id_of(notification)
    if thread_id:
        return url_for("forum.thread", thread_id=thread_id)
    return url_for("notifications.index")


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """Whether a page exists, so the nav can link to parts that other work is adding."""
    return name in current_app.view_functions


    try:
        return services.unread_count(current_user.id)
    except SQLAlchemyError:
        # The error page of a request whose transaction failed must still render.
        return 0
