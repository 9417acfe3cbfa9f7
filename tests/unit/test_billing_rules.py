"""Membership rules and the reading of Stripe objects, without an app."""

from datetime import datetime, timedelta

import pytest

from app.billing import rules

NOW = datetime(2026, 6, 1, 12, 0)
LATER = NOW + timedelta(days=20)


@pytest.mark.parametrize(("status", "end", "past_due_since", "expected"), [
    ("active", LATER, None, True),
    ("trialing", LATER, None, True),
    ("active", NOW - timedelta(seconds=1), None, False),  # the paid period is over
    ("active", None, None, False),
    ("past_due", LATER, NOW - timedelta(days=2, hours=23), True),  # within the 3-day grace
    ("past_due", LATER, NOW - timedelta(days=3), False),  # grace over
    ("past_due", LATER, None, False),
    ("canceled", LATER, None, False),
    ("incomplete", LATER, None, False),
    ("unpaid", LATER, None, False),
])
def test_who_has_access(status, end, past_due_since, expected):
    assert rules.has_access(status, end, past_due_since, NOW) is expected


def test_grace_ends_three_days_after_the_failure():
    assert rules.grace_ends(NOW) == NOW + timedelta(days=3)
    assert rules.grace_ends(None) is None


@pytest.mark.parametrize(("event_at", "last", "current", "new", "expected"), [
    (NOW, None, "incomplete", "active", True),
    (NOW, NOW - timedelta(seconds=5), "active", "past_due", True),
    (NOW - timedelta(seconds=5), NOW, "canceled", "active", False),  # older: stale
    (NOW - timedelta(seconds=5), NOW, "active", "active", False),
    (NOW, NOW, "active", "past_due", True),  # same second: allowed
    (NOW, NOW, "canceled", "active", False),  # but never out of cancelled
    (NOW + timedelta(days=1), NOW, "canceled", "active", False),
    (NOW + timedelta(days=1), NOW, "canceled", "canceled", True),
])
def test_only_newer_events_change_a_subscription(event_at, last, current, new, expected):
    assert rules.is_newer(event_at, last, current_status=current, new_status=new) is expected


def test_the_period_end_is_read_from_the_items_in_the_current_api():
    end = int(datetime(2026, 7, 1).timestamp())
    subscription = {"current_period_end": None,
                    "items": {"data": [{"current_period_end": end - 10}, {"current_period_end": end}]}}
    assert rules.period_end(subscription) == rules.from_timestamp(end)


def test_the_period_end_falls_back_to_the_older_api_shape():
    end = 1_780_000_000
    assert rules.period_end({"current_period_end": end, "items": {"data": []}}) == rules.from_timestamp(end)
    assert rules.period_end({"items": {"data": []}}) is None


def test_timestamps_become_naive_utc():
    assert rules.from_timestamp(0) == datetime(1970, 1, 1)
    assert rules.from_timestamp(None) is None


def test_the_price_and_the_invoice_subscription_in_both_shapes():
    assert rules.price_id({"items": {"data": [{"price": {"id": "price_1"}}]}}) == "price_1"
    assert rules.price_id({"items": {"data": []}}) is None
    current = {"parent": {"type": "subscription_details",
                          "subscription_details": {"subscription": "sub_1"}}}
    assert rules.invoice_subscription(current) == "sub_1"
    assert rules.invoice_subscription({"subscription": {"id": "sub_2"}}) == "sub_2"
    assert rules.invoice_subscription({"parent": None}) is None


def test_plans_are_monthly_with_a_trial_and_yearly():
    assert [(p.slug, p.interval) for p in rules.PLANS] == [("monthly", "month"), ("yearly", "year")]
    assert rules.PLANS[0].trial_days == 7
