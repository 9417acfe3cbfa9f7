"""Plans, Stripe customers, subscriptions and the webhook event log.

Only `app.billing` services write these. Access is decided from `Subscription` rows,
and those change only through verified webhook events (see `webhooks.py`).
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow


class Plan(db.Model):
    """A way to pay for membership, tied to one Stripe Price once `sync-plans` has run."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    interval: Mapped[str] = mapped_column(String(10))  # "month" or "year"
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    trial_days: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    stripe_product_id: Mapped[str | None] = mapped_column(String(255))
    stripe_price_id: Mapped[str | None] = mapped_column(String(255), unique=True)


class BillingCustomer(db.Model):
    """The Stripe customer of a user, created before their first checkout and reused."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    stripe_customer_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Subscription(db.Model):
    """Stripe's subscription as the webhooks last told us.

    `last_event_at` is the `created` time of the newest event applied, so an older event
    delivered late never overwrites a newer state; `past_due_since` starts the grace
    period when a renewal fails.
    """

    __table_args__ = (Index("ix_subscription_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    stripe_subscription_id: Mapped[str] = mapped_column(String(255), unique=True)
    stripe_customer_id: Mapped[str] = mapped_column(String(255))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    status: Mapped[str] = mapped_column(String(20), default="incomplete")
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    trial_end: Mapped[datetime | None] = mapped_column(DateTime)
    past_due_since: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_event_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
    plan: Mapped[Plan | None] = relationship()


class StripeEvent(db.Model):
    """Every webhook event received, by Stripe's id: processed once, replayable on failure."""

    __table_args__ = (Index("ix_stripe_event_received", "received_at"),)

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    created: Mapped[datetime] = mapped_column(DateTime)  # Stripe's time for the event
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="received")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Refund(db.Model):
    """A refunded charge, recorded for an admin to decide about access."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stripe_charge_id: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    event_id: Mapped[str] = mapped_column(ForeignKey("stripe_event.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
