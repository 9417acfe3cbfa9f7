"""Membership pages, the Stripe webhook endpoint, the admins' billing log and the local
test-mode checkout and portal."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from app.billing import event_log, gateway, local_mode, rules, services, webhooks
from app.billing.membership import is_member, membership_of
from app.extensions import csrf
from app.forum.errors import MembersOnly, PermissionDenied
from app.forum.listing import member_only_teasers
from app.forum.models import Thread
from app.web.errors import wants_json
from app.web.pagination import page_number

bp = Blueprint("billing", __name__)
CATEGORY_TEASERS = 10  # the newest titles a member-only category shows to non-members


def _viewer():
    return current_user._get_current_object()


@bp.app_errorhandler(MembersOnly)
def members_only(error: MembersOnly):
    """Member-only content for a non-member: a teaser (title and facts, never the body)
    and the way in, with 403 so nothing caches or indexes it as the page itself."""
    if wants_json():
        return jsonify(error=error.message, status=403), 403
    recent = []
    if error.category is not None:
        recent = member_only_teasers(current_user, Thread.category_id == error.category.id,
                                     limit=CATEGORY_TEASERS)
    return render_template("billing/members_only.html", thread=error.thread,
                           category=error.category, message=error.message,
                           recent=recent), 403


@bp.get("/membership")
def pricing():
    member = is_member(current_user)
    return render_template(
        "billing/pricing.html", plans=services.active_plans(), benefits=rules.BENEFITS,
        member=member, test_mode=not gateway.live(), cancelled=bool(request.args.get("cancelled")),
    )


@bp.post("/membership/join/<slug>")
@login_required
def join(slug: str):
    try:
        url = services.start_checkout(_viewer(), slug)
    except gateway.GatewayError:
        current_app.logger.exception("checkout for user %s failed", current_user.id)
        flash("We could not reach the payment provider. Nothing was charged; please try again.",
              "error")
        return redirect(url_for("billing.pricing"))
    return redirect(url, 303)


@bp.get("/membership/welcome")
@login_required
def welcome():
    """After Checkout: access arrives with the webhook, never from this page."""
    return render_template("billing/welcome.html", member=is_member(current_user),
                           membership=membership_of(current_user))


@bp.get("/membership/manage")
@login_required
def manage():
    return render_template("billing/manage.html", membership=membership_of(current_user),
                           member=is_member(current_user), test_mode=not gateway.live(),
                           grace_ends=rules.grace_ends)


@bp.post("/membership/portal")
@login_required
def portal():
    try:
        url = services.portal_url(_viewer())
    except gateway.GatewayError:
        current_app.logger.exception("portal for user %s failed", current_user.id)
        flash("We could not open the billing portal just now; please try again.", "error")
        return redirect(url_for("billing.manage"))
    return redirect(url, 303)


@bp.post("/billing/webhook")
@csrf.exempt  # Stripe signs the body instead; the signature is verified below
def webhook():
    try:
        receipt = webhooks.receive_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except gateway.BadSignature as error:
        return jsonify(error=f"Invalid signature: {error}"), 400
    except webhooks.HandlerFailed as error:
        current_app.logger.error("Stripe webhook failed: %s", error)
        return jsonify(error="The event is stored and failed; Stripe will retry."), 500
    return jsonify(received=True, status=receipt.status, duplicate=receipt.duplicate)


@bp.get("/admin/billing")
@login_required
def events():
    status = request.args.get("status")
    try:
        page = event_log.events_page(_viewer(), status=status, page=page_number())
        refunds = event_log.recent_refunds(_viewer())
    except PermissionDenied:
        abort(403)
    return render_template("billing/events.html", page=page, refunds=refunds, status=status,
                           statuses=event_log.STATUSES)


@bp.route("/membership/test-checkout/<token>", methods=["GET", "POST"])
@login_required
def local_checkout(token: str):
    """Local test mode only: a stand-in for Stripe Checkout that sends signed events."""
    if gateway.live():
        abort(404)
    plan = local_mode.checkout_plan(_viewer(), token)
    if request.method == "POST":
        local_mode.complete_checkout(_viewer(), token)
        return redirect(url_for("billing.welcome"), 303)
    return render_template("billing/local_checkout.html", plan=plan)


@bp.route("/membership/test-portal", methods=["GET", "POST"])
@login_required
def local_portal():
    """Local test mode only: a stand-in for the Billing portal."""
    if gateway.live():
        abort(404)
    if request.method == "POST":
        action = request.form.get("action", "")
        if action not in local_mode.PORTAL_ACTIONS:
            abort(400)
        local_mode.portal_action(_viewer(), action)
        flash("Done (test mode): the change came back through the webhook.", "success")
        return redirect(url_for("billing.manage"), 303)
    return render_template("billing/local_portal.html", membership=membership_of(current_user))
