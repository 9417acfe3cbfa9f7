"""Email pages: preferences, the tracked-link redirect and one-click unsubscribe."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.extensions import csrf
from app.outreach import clicks, links, preferences

bp = Blueprint("outreach", __name__)


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
def preferences_page():
    user = current_user._get_current_object()
    form = FlaskForm()  # the CSRF token; the choices are checked by the service
    chosen = preferences.modes_of(user.id)
    error = None
    if form.validate_on_submit():
        chosen |= {kind: request.form[f"mode-{kind}"] for kind in preferences.KINDS
                   if f"mode-{kind}" in request.form}
        try:
            changed = preferences.save(user, chosen)
        except preferences.UnknownPreference:
            error = "One of the choices is not available. Please pick from the options shown."
        else:
            flash("Your email preferences have been saved." if changed
                  else "Nothing changed: these were already your choices.", "success")
            return redirect(url_for("outreach.preferences_page"))
    status = 422 if error or form.errors else 200
    return render_template("outreach/preferences.html", form=form, kinds=preferences.KINDS,
                           chosen=chosen, labels=preferences.MODE_LABELS, error=error), status


@bp.get("/r/<token>")
def follow(token: str):
    """A link from an email: count the click, then go to the page (only ever ours)."""
    try:
        message_id, path = links.read_tracked(token)
    except links.InvalidLink:
        abort(400)
    clicks.follow(message_id, path)
    return redirect(path)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST without our form; the signed token is the proof
def unsubscribe(token: str):
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST, from the
    confirmation button or a mail client's one-click header, unsubscribes."""
    try:
        user_id, kind = links.read_unsubscribe(token)
    except links.InvalidLink:
        return render_template("outreach/unsubscribe.html", invalid=True), 400
    if clicks.link_owner(user_id) is None:
        return render_template("outreach/unsubscribe.html", invalid=True), 404
    label = preferences.KINDS[kind].label
    if request.method == "GET":
        return render_template("outreach/unsubscribe.html", token=token, label=label)
    clicks.unsubscribe(user_id, kind)
    return render_template("outreach/unsubscribe.html", done=True, label=label)
