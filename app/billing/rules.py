"""Membership rules and the reading of Stripe objects: pure, tested without an app.

Stripe sends plain JSON; these functions take those dicts (or plain values) and return
plain values, so the webhook handlers stay short and every rule has a unit test.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

GRACE = timedelta(days=3)
ACCESS_STATUSES = frozenset({"active", "trialing"})
TERMINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})


@dataclass(frozen=True)
class PlanDefinition:
    slug: str
    name: str
    interval: str
    amount_cents: int
    trial_days: int = 0
    currency: str = "usd"


# What `flask billing sync-plans` makes in Stripe and stores as Plan rows.
PLANS = (
    PlanDefinition("monthly", "Monthly", "month", 1_500, trial_days=7),
    PlanDefinition("yearly", "Yearly", "year", 15_000),
)

# What membership unlocks, for the pricing page.
BENEFITS = (
    "Every member-only course, with its lessons, exercises and certificates",
    "The Members' Lounge and other member-only categories",
    "Member-only competitions with their prizes",
    "The Patron badge on your profile",
)


def has_access(status: str, current_period_end: datetime | None,
               past_due_since: datetime | None, now: datetime) -> bool:
    """Active or trialing, or past due for less than the grace period, and in a paid period.

    A payment that fails keeps access for `GRACE` while Stripe retries; a subscription
    cancelled at period end keeps it until that end.
    """
    if current_period_end is None or current_period_end <= now:
        return False
    if status in ACCESS_STATUSES:
        return True
    return status == "past_due" and past_due_since is not None and now < past_due_since + GRACE


def grace_ends(past_due_since: datetime | None) -> datetime | None:
    return past_due_since + GRACE if past_due_since is not None else None


def is_newer(event_at: datetime, last_event_at: datetime | None, *, current_status: str,
             new_status: str) -> bool:
    """Whether an event may change a stored subscription.

    Older events than the last applied one are stale. Stripe's `created` has one-second
    resolution, so a tie is allowed, except out of a terminal status: a cancelled
    subscription never comes back, so "deleted" followed by a same-second "updated"
    leaves it cancelled.
    """
    if current_status in TERMINAL_STATUSES and new_status not in TERMINAL_STATUSES:
        return False
    return last_event_at is None or event_at >= last_event_at


def from_timestamp(value: int | None) -> datetime | None:
    """Stripe's unix seconds as the naive UTC datetimes the database keeps."""
    if value is None:
        return None
    return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)


def period_end(subscription: dict) -> datetime | None:
    """The end of the paid period: on the items since API 2025-03-31, on the subscription
    before; the latest item's end when there are several."""
    ends = [item.get("current_period_end") for item in _items(subscription)]
    ends = [end for end in ends if end] or [subscription.get("current_period_end")]
    return from_timestamp(max(ends)) if ends[0] else None


def price_id(subscription: dict) -> str | None:
    items = _items(subscription)
    if not items:
        return None
    price = items[0].get("price") or {}
    return price.get("id") if isinstance(price, dict) else price


def invoice_subscription(invoice: dict) -> str | None:
    """The subscription an invoice bills: `parent.subscription_details` in the current API,
    the top-level `subscription` in older ones."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    found = details.get("subscription") or invoice.get("subscription")
    return found.get("id") if isinstance(found, dict) else found


def object_id(value) -> str | None:
    """An id field that may arrive expanded (a dict) or as the bare id."""
    if isinstance(value, dict):
        return value.get("id")
    return value


def _items(subscription: dict) -> list[dict]:
    return (subscription.get("items") or {}).get("data") or []
