"""Paying members for the demo, made through the local test-mode checkout.

Each goes through the same signed webhook events as a real checkout, so their
subscriptions, Patron badges, welcome notifications and events are the real ones.
Without Stripe keys only; with keys the demo has no members until people pay.
"""

import random

from sqlalchemy import select

from app.accounts.models import Role, User
from app.billing import gateway, local_mode, services
from app.billing.models import Plan
from app.extensions import db

SHARE = 0.15  # about one person in seven pays, as in a healthy learning community


def add_demo_members(*, seed: int) -> int:
    """Make about `SHARE` of the active members paying members; returns how many."""
    if gateway.live():
        return 0
    services.sync_plans()
    plans = list(db.session.scalars(select(Plan).order_by(Plan.position)))
    people = list(db.session.scalars(
        select(User).where(User.role == Role.MEMBER, User.deleted_at.is_(None),
                           User.points > 50).order_by(User.id)
    ))
    rng = random.Random(seed)
    chosen = rng.sample(people, k=min(len(people), round(len(people) * SHARE)))
    for user in sorted(chosen, key=lambda u: u.id):
        local_mode.subscribe(user, rng.choice(plans))
    return len(chosen)
