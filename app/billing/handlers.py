"""What each Stripe event does to our records. Called by `webhooks.process_event`.

Each handler takes the event's object (a dict) and the stored event, writes inside the
processing transaction and never commits. Membership changes are detected by comparing
access before and after, so "became a member" fires exactly once however the events
arrive.
"""

from sqlalchemy import select

from app.accounts.models import Role, User
from app.billing import rules
from app.billing.membership import has_paid_access
from app.billing.models import BillingCustomer, Plan, Refund, StripeEvent, Subscription
from app.extensions import db
from app.insights.services import record
from app.notifications.services import notify
from app.timeutil import utcnow


class UnknownCustomer(Exception):
    """An event about a customer we cannot tie to a user yet; failing lets Stripe retry."""


def on_checkout_completed(session: dict, event: StripeEvent) -> None:
    """Tie the customer to the user who checked out; access waits for the subscription."""
    if session.get("mode") != "subscription":
        return
    user_id = int(session["client_reference_id"])
    customer_id = rules.object_id(session["customer"])
    _link_customer(user_id, customer_id)
    subscription_id = rules.object_id(session.get("subscription"))
    if subscription_id and _subscription(subscription_id) is None:
        db.session.add(Subscription(user_id=user_id, stripe_subscription_id=subscription_id,
                                    stripe_customer_id=customer_id, status="incomplete"))
        db.session.flush()
    record("checkout_completed", user=user_id, data={"subscription": subscription_id})


def on_subscription_changed(subscription: dict, event: StripeEvent) -> None:
    """created / updated / deleted: apply the object's state unless a newer one is stored."""
    row = _subscription(subscription["id"]) or _new_subscription(subscription)
    status = subscription["status"]
    if not rules.is_newer(event.created, row.last_event_at, current_status=row.status,
                          new_status=status):
        return
    before = has_paid_access(row.user_id)
    was_ending = row.cancel_at_period_end
    row.status = status
    row.current_period_end = rules.period_end(subscription)
    row.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    row.trial_end = rules.from_timestamp(subscription.get("trial_end"))
    row.ended_at = rules.from_timestamp(subscription.get("ended_at"))
    row.plan_id = _plan_id(rules.price_id(subscription)) or row.plan_id
    if status != "past_due":
        row.past_due_since = None
    elif row.past_due_since is None:
        row.past_due_since = event.created
    _applied(row, event)
    if row.cancel_at_period_end and not was_ending and status not in rules.TERMINAL_STATUSES:
        notify(row.user_id, "membership", subject=row, data={
            "news": "ending",
            "ends": row.current_period_end.isoformat() if row.current_period_end else None})
    _announce_change(row, before)


def on_invoice_paid(invoice: dict, event: StripeEvent) -> None:
    """A paid renewal ends any grace period; the subscription event sets the status."""
    row = _invoice_subscription(invoice)
    if row is None:
        return
    before = has_paid_access(row.user_id)
    if row.status == "past_due" and rules.is_newer(
        event.created, row.last_event_at, current_status=row.status, new_status="active"
    ):
        row.status = "active"
        row.past_due_since = None
        _applied(row, event)
    record("purchase", user=row.user_id, subject=row,
           data={"invoice": invoice["id"], "amount": invoice.get("amount_paid"),
                 "currency": invoice.get("currency")})
    if invoice.get("billing_reason") == "subscription_cycle":
        notify(row.user_id, "membership", subject=row, data={
            "news": "renewed", "amount": invoice.get("amount_paid"),
            "currency": invoice.get("currency")})
    _announce_change(row, before)


def on_payment_failed(invoice: dict, event: StripeEvent) -> None:
    """Past due: access stays for the grace period. The member hears of it in-app, and by
    email as their membership email preference says (the notification emails send it
    from the email log, so a webhook retried after a failure never mails twice)."""
    row = _invoice_subscription(invoice)
    if row is None:
        return
    if row.status not in rules.TERMINAL_STATUSES and rules.is_newer(
        event.created, row.last_event_at, current_status=row.status, new_status="past_due"
    ):
        row.status = "past_due"
        row.past_due_since = row.past_due_since or event.created
        _applied(row, event)
    grace_ends = rules.grace_ends(row.past_due_since)
    notify(row.user_id, "payment_failed", subject=row,
           data={"grace_ends": grace_ends.isoformat() if grace_ends else None})


def on_charge_refunded(charge: dict, event: StripeEvent) -> None:
    """Record the refund and tell the admins; whether access ends is their decision."""
    customer = _customer(rules.object_id(charge.get("customer")))
    refund = db.session.scalar(select(Refund).where(Refund.stripe_charge_id == charge["id"]))
    if refund is None:
        refund = Refund(stripe_charge_id=charge["id"], event_id=event.id,
                        user_id=customer.user_id if customer else None)
        db.session.add(refund)
    refund.amount_cents = charge.get("amount_refunded") or 0
    refund.currency = charge.get("currency") or "usd"
    db.session.flush()
    record("refund", user=refund.user_id, subject=refund, data={"charge": charge["id"]})
    for admin_id in db.session.scalars(select(User.id).where(User.role == Role.ADMIN)):
        notify(admin_id, "refund", subject=refund,
               data={"amount": refund.amount_cents, "currency": refund.currency,
                     "user_id": refund.user_id})


HANDLERS = {
    "checkout.session.completed": on_checkout_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.paid": on_invoice_paid,
    "invoice.payment_failed": on_payment_failed,
    "charge.refunded": on_charge_refunded,
}


def _announce_change(row: Subscription, before: bool) -> None:
    """Fire the membership events and the welcome once access really starts or ends.

    Membership notifications say what happened in `data["news"]` (started, renewed,
    ending, ended): an unread line folds the next piece of news into itself, and its
    latest news is what it shows."""
    db.session.flush()
    after = has_paid_access(row.user_id)
    if after and not before:
        record("membership_started", user=row.user_id, subject=row,
               data={"plan": row.plan.slug if row.plan else None, "status": row.status})
        notify(row.user_id, "membership", subject=row, data={"news": "started"})
    elif before and not after:
        record("membership_ended", user=row.user_id, subject=row, data={"status": row.status})
        notify(row.user_id, "membership", subject=row, data={"news": "ended"})


def _applied(row: Subscription, event: StripeEvent) -> None:
    row.last_event_at = max(filter(None, (row.last_event_at, event.created)))
    row.updated_at = utcnow()


def _new_subscription(subscription: dict) -> Subscription:
    customer_id = rules.object_id(subscription["customer"])
    customer = _customer(customer_id)
    user_id = customer.user_id if customer else _metadata_user(subscription)
    if user_id is None:
        raise UnknownCustomer(f"no user for Stripe customer {customer_id}")
    _link_customer(user_id, customer_id)
    row = Subscription(user_id=user_id, stripe_subscription_id=subscription["id"],
                       stripe_customer_id=customer_id, status="incomplete")
    db.session.add(row)
    db.session.flush()
    return row


def _metadata_user(obj: dict) -> int | None:
    raw = (obj.get("metadata") or {}).get("user_id")
    if raw and str(raw).isdigit() and db.session.get(User, int(raw)) is not None:
        return int(raw)
    return None


def _link_customer(user_id: int, customer_id: str) -> None:
    if db.session.get(BillingCustomer, user_id) is None and _customer(customer_id) is None:
        db.session.add(BillingCustomer(user_id=user_id, stripe_customer_id=customer_id))
        db.session.flush()


def _customer(customer_id: str | None) -> BillingCustomer | None:
    if not customer_id:
        return None
    return db.session.scalar(
        select(BillingCustomer).where(BillingCustomer.stripe_customer_id == customer_id)
    )


def _subscription(stripe_id: str) -> Subscription | None:
    return db.session.scalars(
        select(Subscription).where(Subscription.stripe_subscription_id == stripe_id)
        .with_for_update()
    ).one_or_none()


def _invoice_subscription(invoice: dict) -> Subscription | None:
    subscription_id = rules.invoice_subscription(invoice)
    return _subscription(subscription_id) if subscription_id else None


def _plan_id(price_id: str | None) -> int | None:
    if not price_id:
        return None
    return db.session.scalar(select(Plan.id).where(Plan.stripe_price_id == price_id))
