"""Account pages: parse the form, call one service, then flash and redirect or re-render.

A form that fails re-renders with status 422, the typed values and the field errors
(passwords are never sent back).
"""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import profiles, services
from app.accounts.deletion import delete_account as delete_account_service
from app.accounts.errors import AccountError, InvalidToken, ValidationError
from app.accounts.export import export_user_data
from app.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SettingsForm,
    attach_error,
)
from app.accounts.models import User
from app.extensions import db, limiter, login_manager
from app.gamification.invitations import SESSION_KEY as INVITED_BY
from app.insights.communities import community_of
from app.timeutil import utcnow
from app.web.pagination import page_number
from app.web.security import is_safe_redirect
from app.web.visitor_cache import cached_for_visitors

bp = Blueprint("accounts", __name__)

RESET_SENT = "If an account exists for that address, we sent a link to reset the password."


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Deleted and suspended accounts load as nobody, so their open sessions (and
    remember-me cookies) stop working on their next request."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and not user.is_deleted and not user.is_suspended else None


def _auth_limit():
    """Login, sign-up and reset requests: POSTs only, so reading the forms is never limited."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"], methods=["POST"])


def _render(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


def _next_url(target: str | None) -> str:
    return target if is_safe_redirect(target) else url_for("browse.home")


@bp.route("/register", methods=["GET", "POST"])
@_auth_limit()
def register():
    if current_user.is_authenticated:
        return redirect(url_for("browse.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user, email_sent = services.register(
                services.Registration(
                    username=form.username.data,
                    email=form.email.data,
                    password=form.password.data,
                    display_name=form.display_name.data or "",
                    email_digest=form.email_digest.data,
                ),
                invited_by=session.get(INVITED_BY),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            session.pop(INVITED_BY, None)
            login_user(user)
            flash(f"Welcome to {current_app.config['SITE_NAME']}, {user.name}!", "success")
            if email_sent:
                flash(f"We sent a link to {user.email} to confirm your address.", "info")
            else:
                flash("We could not send the confirmation email; resend it from your settings.", "error")
            target = request.args.get("next")
            if is_safe_redirect(target):
                return redirect(target)
            return redirect(url_for("insights.pick_interests", welcome=1))
    return _render("accounts/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@_auth_limit()
def login():
    if current_user.is_authenticated:
        return redirect(_next_url(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.log_in(form.identifier.data, form.password.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}!", "success")
            return redirect(_next_url(form.next.data))
    return _render("accounts/login.html", form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.log_out(current_user._get_current_object())
        logout_user()
    flash("You have been logged out.", "info")
    return redirect(url_for("browse.home"))


@bp.get("/verify/<token>")
def verify_email(token: str):
    try:
        _user, newly = services.verify_email(token)
    except InvalidToken as error:
        flash(error.message, "error")
    else:
        if newly:
            flash("Thanks, your email address is verified.", "success")
        else:
            flash("Your email address was already verified.", "info")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.settings"))
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@_auth_limit()
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(RESET_SENT, "info")
        return redirect(url_for("accounts.login"))
    return _render("accounts/forgot_password.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except InvalidToken as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except AccountError as error:
            attach_error(form, error)
        else:
            flash("Your password has been changed. Log in with your new password.", "success")
            return redirect(url_for("accounts.login"))
    return _render("accounts/reset_password.html", form, token=token)


@bp.get("/u/<username>")
@cached_for_visitors
def profile(username: str):
    user = profiles.find_profile_user(username)
    if user is None:
        abort(404)
    if user.username != username:
        args = {k: v for k, v in request.args.items() if k != "username"}
        return redirect(url_for("accounts.profile", username=user.username, **args), 301)
    tab = request.args.get("tab", "activity")
    if tab not in profiles.TABS:
        tab = "activity"
    lister = {
        "activity": profiles.user_activity,
        "questions": profiles.user_questions,
        "answers": profiles.user_answers,
    }[tab]
    page = lister(
        user, current_user, page=page_number(), per_page=current_app.config["PROFILE_ITEMS_PER_PAGE"]
    )
    return render_template(
        "accounts/profile.html",
        user=user,
        tab=tab,
        page=page,
        counts=profiles.profile_counts(user, current_user),
        community=community_of(user.id),
        excerpt=profiles.excerpt,
    )


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            changed = services.update_profile(
                current_user._get_current_object(),
                display_name=form.display_name.data or "",
                bio=form.bio.data or "",
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash("Your profile has been updated." if changed else "Nothing changed.", "success")
            return redirect(url_for("accounts.profile", username=current_user.username))
    return _render("accounts/edit_profile.html", form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_settings(
                current_user._get_current_object(),
                timezone=form.timezone.data or "",
                hide_from_leaderboards=form.hide_from_leaderboards.data,
                personalise=form.personalise.data,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash("Your settings have been saved.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(form, ChangePasswordForm(formdata=None))


@bp.post("/settings/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user._get_current_object(), form.current_password.data, form.new_password.data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash("Your password has been changed.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(SettingsForm(formdata=None, obj=current_user), form)


def _settings_page(settings_form: SettingsForm, password_form: ChangePasswordForm):
    failed = settings_form.errors or password_form.errors
    page = render_template(
        "accounts/settings.html", form=settings_form, password_form=password_form
    )
    return page, 422 if failed else 200


@bp.post("/settings/verify")
@login_required
@_auth_limit()
def resend_verification():
    try:
        sent = services.resend_verification(current_user._get_current_object())
    except ValidationError as error:
        flash(error.message, "info")
    else:
        if sent:
            flash(f"We sent a new confirmation link to {current_user.email}.", "success")
        else:
            flash("We could not send the email just now. Please try again in a few minutes.", "error")
    return redirect(url_for("accounts.settings"))


@bp.get("/settings/export")
@login_required
def export_data():
    data = export_user_data(current_user._get_current_object())
    filename = f"{current_user.username}-data-{utcnow():%Y%m%d}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            delete_account_service(
                current_user._get_current_object(),
                password=form.password.data,
                remove_posts=form.remove_posts.data,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            logout_user()
            flash("Your account has been deleted. Thank you for being part of the community.", "info")
            return redirect(url_for("browse.home"))
    return _render("accounts/delete_account.html", form)
