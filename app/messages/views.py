"""Private message pages: inbox, a conversation, a new one, the moderators, blocking,
reports, and the staff list of reported messages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.forum.errors import PermissionDenied, ValidationError
from app.forum.views import posting_limit
from app.messages import reports, services
from app.messages.forms import (
    ContactModeratorsForm,
    NewConversationForm,
    ReplyForm,
    ReportForm,
    ResolveForm,
)
from app.web.access import allowed_by
from app.web.pagination import page_number

bp = Blueprint("messages", __name__)


@bp.get("/messages")
@login_required
def inbox():
    page = services.inbox_page(current_user, page=page_number())
    return render_template("messages/inbox.html", page=page)


@bp.route("/messages/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new():
    form = NewConversationForm(recipients=request.args.get("to", ""))
    if form.validate_on_submit():
        return _sent(form, lambda: services.start_conversation(
            current_user, form.usernames(), subject=form.subject.data, body=form.body.data),
            "messages/new.html")
    return render_template("messages/new.html", form=form)


@bp.route("/messages/moderators", methods=["GET", "POST"])
@login_required
@posting_limit
def contact_moderators():
    form = ContactModeratorsForm()
    if form.validate_on_submit():
        return _sent(form, lambda: services.contact_moderators(
            current_user, subject=form.subject.data, body=form.body.data),
            "messages/moderators.html")
    return render_template("messages/moderators.html", form=form)


@bp.get("/messages/<int:conversation_id>")
@login_required
def conversation(conversation_id: int):
    found, messages = services.open_conversation(current_user, conversation_id)
    return _render_conversation(found, messages, ReplyForm())


@bp.post("/messages/<int:conversation_id>/reply")
@login_required
@posting_limit
def reply(conversation_id: int):
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            services.reply(current_user, conversation_id, form.body.data)
            return redirect(url_for("messages.conversation", conversation_id=conversation_id))
        except ValidationError as error:
            form.apply_error(error)
        except PermissionDenied as error:
            flash(error.message, "error")
    found, messages = services.open_conversation(current_user, conversation_id)
    return _render_conversation(found, messages, form, status=422)


@bp.post("/messages/report/<int:message_id>")
@login_required
def report(message_id: int):
    form = ReportForm()
    try:
        if not form.validate_on_submit():
            raise ValidationError("reason", "Say what is wrong.")
        found = reports.report_message(current_user, message_id, reason=form.reason.data)
        flash("Thank you: the moderators will look at this message.", "success")
        return redirect(url_for("messages.conversation",
                                conversation_id=found.message.conversation_id))
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(request.referrer or url_for("messages.inbox"))


@bp.post("/messages/block/<username>")
@login_required
def block(username: str):
    try:
        other = services.block(current_user, username)
        flash(f"You blocked {other.username}: they can no longer message you.", "success")
    except (ValidationError, PermissionDenied) as error:
        flash(error.message, "error")
    return redirect(request.referrer or url_for("messages.inbox"))


@bp.post("/messages/unblock/<username>")
@login_required
def unblock(username: str):
    services.unblock(current_user, username)
    flash(f"You unblocked {username}.", "success")
    return redirect(request.referrer or url_for("messages.inbox"))


@bp.get("/staff/messages/reports")
@allowed_by(reports.can_review_reports)
def report_list():
    page = reports.open_reports(page=page_number())
    return render_template("messages/reports.html", page=page, form=ResolveForm())


@bp.post("/staff/messages/reports/<int:report_id>/resolve")
@allowed_by(reports.can_review_reports)
def resolve(report_id: int):
    form = ResolveForm()
    try:
        reports.resolve_report(current_user, report_id, note=form.note.data or "")
        flash("Report resolved.", "success")
    except ValidationError as error:
        flash(error.message, "error")
    if request.args.get("back") == "queue":
        return redirect(url_for("review.queue"))
    return redirect(url_for("messages.report_list"))




def _sent(form, send, template: str):
    """Send, then go to the conversation; or re-render with the error and what was typed."""
    try:
        found = send()
        return redirect(url_for("messages.conversation", conversation_id=found.id))
    except ValidationError as error:
        form.apply_error(error)
        status = 422
    except PermissionDenied as error:
        flash(error.message, "error")
        status = 403
    return render_template(template, form=form), status


def _render_conversation(found, messages, form, *, status: int = 200):
    return render_template(
        "messages/conversation.html", conversation=found, messages=messages, form=form,
        people=services.people_in(found), blocked=services.blocked_ids(current_user),
        report_form=ReportForm()), status
