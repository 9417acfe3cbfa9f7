"""Local test mode: membership without Stripe keys, for `make run` and newcomers.

Checkout and the portal become pages of our own, clearly marked as test mode. What
they do is build the events Stripe would send, in the current API shapes, sign them
with the webhook secret and hand them to the real webhook handler, so the flow a
newcomer tries locally is the flow production runs.
"""

import json
import secrets
import time
from datetime import UTC, timedelta

from flask import current_app, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from app.billing import gateway
from app.billing.membership import membership_of
from app.billing.models import Plan, Subscription
from app.billing.webhooks import receive_webhook
from app.extensions import db
from app.forum.errors import Conflict, NotFound

TOKEN_SALT = "guildhall.local-checkout"
TOKEN_MAX_AGE = 3600
PERIOD = {"month": timedelta(days=30), "year": timedelta(days=365)}
PORTAL_ACTIONS = ("cancel", "resume", "fail_payment", "end_now")


def checkout_url(user, plan: Plan) -> str:
    token = _serializer().dumps({"uid": user.id, "plan": plan.slug})
    return url_for("billing.local_checkout", token=token)


def portal_url() -> str:
    return url_for("billing.local_portal")


def checkout_plan(user, token: str) -> Plan:
    """The plan a local checkout link is for, if the link is the user's and still fresh."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadData:
        raise NotFound("This test checkout link has expired; choose a plan again.") from None
    plan = db_plan(data.get("plan"))
    if data.get("uid") != user.id or plan is None:
        raise NotFound("This test checkout link is not yours; choose a plan again.")
    return plan


def complete_checkout(user, token: str) -> Subscription:
    """Pay for the plan in test mode: the three events a real checkout sends."""
    return subscribe(user, checkout_plan(user, token))


def subscribe(user, plan: Plan) -> Subscription:
    """A member from a paid (or trial) checkout, through signed events and the webhook."""
    now = int(time.time())
    customer = f"cus_local_{user.id}"
    subscription = _subscription_object(
        f"sub_local_{secrets.token_hex(6)}", customer, plan, status=(
            "trialing" if plan.trial_days else "active"), start=now,
        period=timedelta(days=plan.trial_days) if plan.trial_days else PERIOD[plan.interval],
        user_id=user.id,
    )
    session = {"id": f"cs_local_{secrets.token_hex(8)}", "object": "checkout.session",
               "mode": "subscription", "status": "complete", "customer": customer,
               "client_reference_id": str(user.id), "subscription": subscription["id"],
               "payment_status": "no_payment_required" if plan.trial_days else "paid"}
    _deliver("checkout.session.completed", session, now)
    _deliver("customer.subscription.created", subscription, now)
    _deliver("invoice.paid", _invoice(subscription, plan, paid=True), now)
    return _row(subscription["id"])


def portal_action(user, action: str) -> Subscription:
    """What the Billing portal (and Stripe's retries) would do, as signed events."""
    row = _current(user)
    now = int(time.time())
    period_end = int(row.current_period_end.replace(tzinfo=UTC).timestamp())
    subscription = _subscription_object(
        row.stripe_subscription_id, row.stripe_customer_id, row.plan, status=row.status,
        start=now, end=period_end, user_id=user.id, cancel_at_period_end=row.cancel_at_period_end,
    )
    if action == "cancel":
        subscription.update(cancel_at_period_end=True, cancel_at=period_end)
        _deliver("customer.subscription.updated", subscription, now)
    elif action == "resume":
        subscription.update(cancel_at_period_end=False, cancel_at=None)
        _deliver("customer.subscription.updated", subscription, now)
    elif action == "fail_payment":
        _deliver("invoice.payment_failed", _invoice(subscription, row.plan, paid=False), now)
        subscription["status"] = "past_due"
        _deliver("customer.subscription.updated", subscription, now)
    elif action == "end_now":
        subscription.update(status="canceled", ended_at=now, canceled_at=now)
        subscription["items"]["data"][0]["current_period_end"] = now
        _deliver("customer.subscription.deleted", subscription, now)
    else:
        raise NotFound("Unknown test-mode action.")
    return _row(row.stripe_subscription_id)


def db_plan(slug: str | None) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.slug == slug)) if slug else None


def _current(user) -> Subscription:
    row = membership_of(user)
    if row is None or row.plan is None or row.current_period_end is None:
        raise NotFound("You have no test-mode membership to manage.")
    if row.status == "canceled":
        raise Conflict("This membership has ended; join again from the pricing page.")
    return row


def _row(stripe_id: str) -> Subscription:
    return db.session.scalar(
        select(Subscription).where(Subscription.stripe_subscription_id == stripe_id)
    )


def _deliver(event_type: str, obj: dict, created: int) -> None:
    """Sign the event as Stripe would and send it through the real webhook handler."""
    event = {
        "id": f"evt_local_{secrets.token_hex(10)}", "object": "event",
        "api_version": "2026-02-25.clover", "created": created, "livemode": False,
        "pending_webhooks": 1, "type": event_type, "data": {"object": obj},
        "request": {"id": None, "idempotency_key": None},
    }
    payload = json.dumps(event)
    receive_webhook(payload.encode(), gateway.sign_payload(payload))


def _subscription_object(stripe_id: str, customer: str, plan: Plan, *, status: str, start: int,
                         user_id: int, period: timedelta | None = None, end: int | None = None,
                         cancel_at_period_end: bool = False) -> dict:
    end = end if end is not None else start + int(period.total_seconds())
    trialing = status == "trialing"
    return {
        "id": stripe_id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": cancel_at_period_end, "cancel_at": None, "canceled_at": None,
        "ended_at": None, "trial_end": end if trialing else None, "start_date": start,
        "created": start, "metadata": {"user_id": str(user_id)},
        "items": {"object": "list", "data": [{
            "id": f"si_local_{stripe_id[-12:]}", "object": "subscription_item", "quantity": 1,
            "price": {"id": plan.stripe_price_id, "object": "price",
                      "unit_amount": plan.amount_cents, "currency": plan.currency,
                      "recurring": {"interval": plan.interval}},
            "current_period_start": start, "current_period_end": end,
        }]},
    }


def _invoice(subscription: dict, plan: Plan, *, paid: bool) -> dict:
    return {
        "id": f"in_local_{secrets.token_hex(8)}", "object": "invoice",
        "customer": subscription["customer"], "status": "paid" if paid else "open",
        "amount_paid": plan.amount_cents if paid else 0, "amount_due": plan.amount_cents,
        "currency": plan.currency,
        "parent": {"type": "subscription_details",
                   "subscription_details": {"subscription": subscription["id"]}},
    }


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)
