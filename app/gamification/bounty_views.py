"""Bounties: offer, award, and the featured list.

The thread page shows a bounty through the template global registered here; the forms
post to these views, which call one service and flash and redirect, or re-render the
form with what was typed and the error.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.views import login_required, post_url
from app.gamification import bounties, bounty_rules
from app.gamification.forms import OfferBountyForm
from app.timeutil import utcnow
from app.web.pagination import page_number

bp = Blueprint("bounties", __name__)

BOUNTIES_PER_PAGE = 20
HOME_BOX_SIZE = 5


def _viewer():
    return current_user._get_current_object()


def thread_url(thread, anchor: str | None = None) -> str:
    return url_for("forum.thread", thread_id=thread.id, slug=thread.slug, _anchor=anchor)


@bp.get("/bounties")
def index():
    page = bounties.featured_bounties(_viewer(), page=page_number(), per_page=BOUNTIES_PER_PAGE)
    return render_template("gamification/bounties.html", page=page, rules=bounty_rules)


@bp.route("/t/<int:thread_id>/bounty/offer", methods=["GET", "POST"])
@login_required
def offer(thread_id: int):
    form = OfferBountyForm()
    status, problem = 200, None
    if form.validate_on_submit():
        try:
            bounty = bounties.offer_bounty(
                _viewer(), thread_id, amount=form.amount.data, reason=form.reason.data
            )
        except ValidationError as error:
            form.apply_error(error)
            status = error.status_code
        except (Conflict, PermissionDenied) as error:
            problem, status = error.message, error.status_code
        else:
            flash(f"Your bounty of {bounty.amount} points is on; it runs for 7 days.", "success")
            return redirect(thread_url(bounty.thread, "bounty"))
    thread, blocker = bounties.offer_check(_viewer(), thread_id)
    return render_template(
        "gamification/offer_bounty.html", form=form, thread=thread, rules=bounty_rules,
        problem=problem or blocker, show_form=form.is_submitted() or blocker is None,
    ), status


@bp.post("/bounties/<int:bounty_id>/award")
@login_required
def award(bounty_id: int):
    bounty = bounties.award_bounty(_viewer(), bounty_id, request.form.get("post_id", type=int))
    flash(f"You awarded your {bounty.amount}-point bounty to {bounty.awarded_post.author.name}.",
          "success")
    return redirect(post_url(bounty.awarded_post))


@bp.app_template_global()
def bounty_panel(thread):
    """The thread page's bounty banner, offer form and award buttons (at most two queries)."""
    return bounties.bounty_panel(_viewer(), thread)


@bp.app_template_global()
def featured_bounties():
    """The home page's "Featured bounties" box (two queries)."""
    return bounties.top_bounties(_viewer(), limit=HOME_BOX_SIZE)


@bp.app_template_filter("ends_in")
def ends_in(moment) -> str:
    """'6 days', '5 hours': how long until `moment` (naive UTC)."""
    return bounty_rules.remaining_text(moment - utcnow())
