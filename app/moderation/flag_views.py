"""The flag form: a page of its own, so flagging works without JavaScript."""

from flask import Blueprint, flash, redirect, render_template
from flask_login import current_user

from app.forum.errors import ValidationError
from app.forum.views import login_required, post_url, posting_limit
from app.moderation import flagging
from app.moderation.forms import FlagForm

bp = Blueprint("flags", __name__)


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@posting_limit
def flag(post_id: int):
    viewer = current_user._get_current_object()
    post = flagging.flaggable_post(viewer, post_id)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flagging.flag_post(viewer, post_id, reason=form.reason.data or "",
                               text=form.text.data or "", duplicate=form.duplicate.data or "")
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash("Thanks, moderators will look at this post.", "success")
            return redirect(post_url(post))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/flag.html", form=form, post=post,
                           thread=post.thread), status
