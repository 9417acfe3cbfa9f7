"""Votes to close and reopen questions, and the thread page's closing panel.

The forms post to these views, which call one service in `closing` and flash and
redirect, or re-render the form with what was typed and the error.
"""

from flask import Blueprint, flash, redirect, render_template
from flask_login import current_user

from app.forum.errors import ValidationError
from app.forum.views import login_required
from app.gamification import closing
from app.gamification.bounty_views import thread_url
from app.gamification.forms import CloseVoteForm

bp = Blueprint("closing", __name__)


def _viewer():
    return current_user._get_current_object()


@bp.route("/t/<int:thread_id>/votes/close", methods=["GET", "POST"])
@login_required
def close(thread_id: int):
    form = CloseVoteForm()
    status = 200
    if form.validate_on_submit():
        try:
            outcome = closing.cast_close_vote(
                _viewer(), thread_id, reason=form.reason.data, duplicate=form.duplicate.data
            )
        except ValidationError as error:
            form.apply_error(error)
            status = error.status_code
        else:
            if outcome.took_effect:
                flash("The question is closed: it takes no new answers.", "success")
            else:
                flash(f"Your vote to close is in ({outcome.votes} of "
                      f"{closing.VOTES_NEEDED}).", "success")
            return redirect(thread_url(outcome.thread, "closing"))
    thread, panel = closing.vote_page(_viewer(), thread_id)
    return render_template(
        "gamification/close_vote.html", form=form, thread=thread, panel=panel
    ), status


@bp.post("/t/<int:thread_id>/votes/reopen")
@login_required
def reopen(thread_id: int):
    outcome = closing.cast_reopen_vote(_viewer(), thread_id)
    if outcome.took_effect:
        flash("The question is open again.", "success")
    else:
        flash(f"Your vote to reopen is in ({outcome.votes} of {closing.VOTES_NEEDED}).", "success")
    return redirect(thread_url(outcome.thread, "closing"))


@bp.app_template_global()
def close_panel(thread, bounty_running: bool | None = None):
    """The thread page's closed notice and close/reopen votes (at most two queries)."""
    return closing.close_panel(_viewer(), thread, bounty_running=bounty_running)
