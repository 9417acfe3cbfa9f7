"""The admins' view of billing: every Stripe event received, and the refunds to decide on."""

from sqlalchemy import select

from app.billing.models import Refund, StripeEvent
from app.extensions import db
from app.forum.errors import PermissionDenied
from app.web.pagination import Page, paginate

PER_PAGE = 50
STATUSES = ("received", "processed", "ignored", "failed")


def can_see_billing(user) -> bool:
    """Payments name people and amounts: admins only, not moderators."""
    return bool(user is not None and user.is_authenticated and user.is_admin)


def events_page(viewer, *, status: str | None, page: int) -> Page:
    if not can_see_billing(viewer):
        raise PermissionDenied("Only admins can read the billing log.")
    query = select(StripeEvent).order_by(StripeEvent.received_at.desc(), StripeEvent.id)
    if status in STATUSES:
        query = query.where(StripeEvent.status == status)
    return paginate(query, page=page, per_page=PER_PAGE)


def recent_refunds(viewer, *, limit: int = 20) -> list[Refund]:
    if not can_see_billing(viewer):
        raise PermissionDenied("Only admins can read the billing log.")
    return list(db.session.scalars(select(Refund).order_by(Refund.id.desc()).limit(limit)))
