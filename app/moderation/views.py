"""The staff pages of moderation: the audit log (browsable, filterable and as CSV) and
a page per member with their moderation history and the actions on them."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from app.forum.errors import Conflict, ValidationError
from app.moderation import audit, roles, user_actions
from app.moderation.forms import RoleForm, UserActionForm
from app.moderation.permissions import (
    can_act_on,
    can_change_role,
    can_read_audit_log,
    is_moderator,
)
from app.timeutil import utcnow
from app.web.access import allowed_by
from app.web.pagination import page_number

bp = Blueprint("moderation", __name__)


def _filters() -> audit.AuditFilter:
    return audit.AuditFilter(actor=request.args.get("actor", "")[:30],
                             action=request.args.get("action", "")[:40],
                             user=request.args.get("user", "")[:30])


@bp.get("/staff/audit")
@allowed_by(can_read_audit_log)
def audit_log():
    filters = _filters()
    page, people = audit.entries_page(filters, page=page_number())
    return render_template("moderation/audit.html", page=page, people=people,
                           filters=filters, actions=audit.actions_in_use())


@bp.get("/staff/audit.csv")
@allowed_by(can_read_audit_log)
def audit_csv():
    filename = f"audit-log-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(audit.csv_lines(_filters())), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/staff/users/<username>")
@allowed_by(is_moderator)
def member(username: str):
    return _render_member(_member_or_404(username), {})


@bp.post("/staff/users/<username>/<action>")
@allowed_by(is_moderator)
def act_on_member(username: str, action: str):
    target = _member_or_404(username)
    if action not in user_actions.ACTIONS:
        abort(404)
    form = UserActionForm(prefix=action)
    status = 422
    if form.validate_on_submit():
        try:
            done = user_actions.take_action(current_user._get_current_object(), target, action,
                                            reason=form.reason.data, days=form.days.data)
        except (ValidationError, Conflict) as error:
            form.apply_error(error)
            status = error.status_code
        else:
            flash(done.summary, "success")
            return redirect(url_for("moderation.member", username=done.user.username))
    return _render_member(target, {action: form}, status=status)


@bp.post("/staff/users/<username>/role")
@allowed_by(is_moderator)
def change_role(username: str):
    """Admins only: the service refuses anyone else (403) before reading the form."""
    target = _member_or_404(username)
    form = _role_form(target)
    status = 422
    if form.validate_on_submit():
        try:
            roles.change_role(current_user._get_current_object(), target, form.role.data,
                              reason=form.reason.data)
        except (ValidationError, Conflict) as error:
            form.apply_error(error)
            status = error.status_code
        else:
            flash(f"{target.username} is now a {roles.ROLES[form.role.data].lower()}.", "success")
            return redirect(url_for("moderation.member", username=target.username))
    elif not can_change_role(current_user, target):
        abort(403)
    return _render_member(target, {}, role_form=form, status=status)


def _role_form(target, *, formdata=True) -> RoleForm:
    form = RoleForm(prefix="role") if formdata else RoleForm(prefix="role", formdata=None)
    form.role.choices = [(role, label) for role, label in roles.ROLES.items()
                         if role != target.role]
    return form


def _member_or_404(username: str):
    target = user_actions.member_named(username)
    if target is None:
        abort(404)
    return target


def _render_member(target, submitted: dict, *, role_form: RoleForm | None = None,
                   status: int = 200):
    """The page with a form per action offered now; the one just submitted stays (with
    what was typed and its error) even when it is no longer offered."""
    actions = {name: spec for name, spec in user_actions.ACTIONS.items()
               if name in submitted or user_actions.is_offered(name, target)}
    forms = {name: submitted.get(name) or UserActionForm(prefix=name, formdata=None)
             for name in actions}
    page, people = audit.entries_page(audit.AuditFilter(user=target.username),
                                      page=page_number())
    return render_template(
        "moderation/member.html", member=target, forms=forms, actions=actions,
        may_act=can_act_on(current_user, target), page=page, people=people,
        role_form=role_form or (_role_form(target, formdata=False)
                                if can_change_role(current_user, target) else None)), status
