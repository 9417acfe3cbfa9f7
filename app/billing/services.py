"""Membership use cases: plans, checkout, the billing portal.

None of these grants access: checkout only sends the member to Stripe, and the
webhooks (`webhooks.py`) decide. Without Stripe keys the same calls lead to the local
test-mode pages (`local_mode.py`), which end in the same webhook handler.
"""

from flask import url_for
from sqlalchemy import select

from app.billing import gateway, local_mode, rules
from app.billing.membership import is_member
from app.billing.models import BillingCustomer, Plan
from app.extensions import db
from app.forum.errors import Conflict, NotFound, PermissionDenied
from app.insights.services import record

LOCAL_PRICE_PREFIX = "price_local_"


def active_plans() -> list[Plan]:
    return list(db.session.scalars(
        select(Plan).where(Plan.active.is_(True)).order_by(Plan.position, Plan.id)
    ))


def sync_plans() -> list[str]:
    """Make the Plan rows match `rules.PLANS` and, with Stripe keys, the Stripe Product and
    Prices. Prices are immutable, so a changed amount or interval gets a new Price and
    the old one is retired. Returns a line per plan for the command to print."""
    lines = []
    product_id = None
    for position, definition in enumerate(rules.PLANS):
        plan = db.session.scalar(select(Plan).where(Plan.slug == definition.slug))
        if plan is None:
            plan = Plan(slug=definition.slug)
            db.session.add(plan)
        plan.name, plan.interval = definition.name, definition.interval
        plan.amount_cents, plan.currency = definition.amount_cents, definition.currency
        plan.trial_days, plan.position, plan.active = definition.trial_days, position, True
        if gateway.live():
            product_id = product_id or gateway.save_product(
                plan.stripe_product_id, name="Guildhall membership",
                description="Member-only courses, categories and competitions.",
            )
            plan.stripe_product_id = product_id
            lines.append(_sync_price(plan))
        else:
            plan.stripe_price_id = f"{LOCAL_PRICE_PREFIX}{plan.slug}"
            lines.append(f"{plan.slug}: local test mode (no Stripe key), {_price_text(plan)}")
    db.session.commit()
    return lines


def start_checkout(user, plan_slug: str) -> str:
    """The URL of a Checkout Session for `plan_slug`; the user's Stripe customer is reused."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to become a member.")
    if is_member(user) and not user.is_staff:
        raise Conflict("You are already a member; manage your membership instead.")
    plan = db.session.scalar(select(Plan).where(Plan.slug == plan_slug, Plan.active.is_(True)))
    if plan is None or not plan.stripe_price_id:
        raise NotFound("That plan is not available.")
    record("checkout_started", user=user, data={"plan": plan.slug})
    if not gateway.live():
        db.session.commit()
        return local_mode.checkout_url(user, plan)
    customer_id = _customer_id(user)
    db.session.commit()
    return gateway.create_checkout_session(
        customer_id=customer_id, price_id=plan.stripe_price_id, user_id=user.id,
        trial_days=plan.trial_days,
        success_url=url_for("billing.welcome", _external=True) + "?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=url_for("billing.pricing", _external=True, cancelled=1),
    )


def portal_url(user) -> str:
    """Stripe's Billing portal for the user's customer (cards, plan changes, cancelling)."""
    customer = db.session.get(BillingCustomer, user.id) if user.is_authenticated else None
    if customer is None:
        raise NotFound("You have no membership to manage yet.")
    return_url = url_for("billing.manage", _external=True)
    if not gateway.live():
        return local_mode.portal_url()
    return gateway.create_portal_session(customer_id=customer.stripe_customer_id,
                                         return_url=return_url)


def _customer_id(user) -> str:
    customer = db.session.get(BillingCustomer, user.id)
    if customer is None:
        customer = BillingCustomer(
            user_id=user.id,
            stripe_customer_id=gateway.create_customer(email=user.email, name=user.name,
                                                       user_id=user.id),
        )
        db.session.add(customer)
    return customer.stripe_customer_id


def _sync_price(plan: Plan) -> str:
    known = plan.stripe_price_id and not plan.stripe_price_id.startswith(LOCAL_PRICE_PREFIX)
    if known and gateway.price_matches(plan.stripe_price_id, amount_cents=plan.amount_cents,
                                       currency=plan.currency, interval=plan.interval):
        return f"{plan.slug}: up to date ({plan.stripe_price_id}), {_price_text(plan)}"
    if known:
        gateway.retire_price(plan.stripe_price_id)
    plan.stripe_price_id = gateway.create_price(
        product_id=plan.stripe_product_id, amount_cents=plan.amount_cents,
        currency=plan.currency, interval=plan.interval, nickname=plan.name,
        lookup_key=f"guildhall_{plan.slug}",
    )
    return f"{plan.slug}: new price {plan.stripe_price_id}, {_price_text(plan)}"


def _price_text(plan: Plan) -> str:
    return f"{plan.amount_cents / 100:.2f} {plan.currency.upper()} a {plan.interval}"
