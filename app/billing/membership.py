"""Who is a member: the one check every member-only page, search and email asks.

Membership is the billing state alone: an active or trialing subscription, or one past
due within the grace period, in a period that has not ended. Staff read member-only
content too, as moderators must; a disciplinary suspension is a separate matter and
never touches billing.
"""

from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import select

from app.billing import rules
from app.billing.models import Subscription
from app.extensions import db
from app.timeutil import utcnow

_CACHE = "_guildhall_membership"


def is_member(user, *, now: datetime | None = None) -> bool:
    """True for a paying (or trialing) member; computed once per request per user."""
    if user is None or not user.is_authenticated or user.is_deleted:
        return False
    if user.is_staff:
        return True
    if now is not None or not has_request_context():
        return has_paid_access(user.id, now=now)
    cache = request.__dict__.setdefault(_CACHE, {})
    if user.id not in cache:
        cache[user.id] = has_paid_access(user.id)
    return cache[user.id]


def has_paid_access(user_id: int, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return any(_grants(sub, now) for sub in _subscriptions(user_id))


def membership_of(user, *, now: datetime | None = None) -> Subscription | None:
    """The subscription to show on "Manage membership": the one granting access, else the
    most recent."""
    now = now or utcnow()
    subscriptions = _subscriptions(user.id)
    granting = [sub for sub in subscriptions if _grants(sub, now)]
    return (granting or subscriptions or [None])[0]


def _grants(sub: Subscription, now: datetime) -> bool:
    return rules.has_access(sub.status, sub.current_period_end, sub.past_due_since, now)


def _subscriptions(user_id: int) -> list[Subscription]:
    return list(db.session.scalars(
        select(Subscription).where(Subscription.user_id == user_id)
        .order_by(Subscription.created_at.desc(), Subscription.id.desc())
    ))
