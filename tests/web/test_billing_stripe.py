"""Billing with the real `stripe` SDK against the Stripe test server, and webhooks signed
with Stripe's real scheme and verified by the real `construct_event`.

The server (tests/fixtures/stripe_server.py) is the one fake in the suite: no public
emulator covers Checkout. Each test plays Stripe's side with its helpers and posts the
events it returns, as Stripe would, then checks who has access.
"""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.billing import rules, services
from app.billing.membership import has_paid_access
from app.billing.models import BillingCustomer, Plan, Refund, StripeEvent, Subscription
from app.extensions import db
from app.insights.models import Event
from app.notifications.models import Notification
from tests.fixtures.stripe_server import running_stripe_server
from tests.fixtures.users import login_as, make_user

SECRET = "whsec_test_guildhall"


@pytest.fixture
def stripe_server():
    with running_stripe_server() as server:
        yield server


@pytest.fixture
def app_config(app_config, stripe_server):
    return {**app_config, "STRIPE_SECRET_KEY": "sk_test_guildhall",
            "STRIPE_API_BASE": stripe_server.url, "STRIPE_WEBHOOK_SECRET": SECRET}


@pytest.fixture
def plans(app):
    services.sync_plans()
    return {plan.slug: plan for plan in db.session.scalars(select(Plan))}


def deliver(client, server, event, *, secret=SECRET, timestamp=None):
    payload = server.event_payload(event)
    signature = server.sign(payload, secret, timestamp=timestamp)
    return client.post("/billing/webhook", data=payload, content_type="application/json",
                       headers={"Stripe-Signature": signature})


def deliver_all(client, server, events):
    responses = [deliver(client, server, event) for event in events]
    assert [r.status_code for r in responses] == [200] * len(events), [r.json for r in responses]
    return responses


def check_out(client, server, user, plan="yearly"):
    """Join through the app, then pay on the test server; returns the events Stripe sends."""
    login_as(client, user)
    response = client.post(f"/membership/join/{plan}")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"{server.url}/pay/cs_")
    return server.complete_checkout(response.headers["Location"].rsplit("/", 1)[1])


def subscription_of(user) -> Subscription:
    db.session.expire_all()
    return db.session.scalars(select(Subscription).filter_by(user_id=user.id)).one()


def stored_events() -> int:
    return db.session.scalar(select(func.count()).select_from(StripeEvent))


# -- plans and checkout ---------------------------------------------------------------


def test_sync_plans_makes_one_product_and_a_price_per_plan_once(app, stripe_server, plans):
    assert plans["monthly"].stripe_price_id.startswith("price_")
    assert plans["monthly"].stripe_product_id == plans["yearly"].stripe_product_id
    price = stripe_server._objects[plans["yearly"].stripe_price_id]
    assert (price["unit_amount"], price["recurring"]["interval"]) == (15_000, "year")

    lines = services.sync_plans()

    assert all("up to date" in line for line in lines)
    assert sum(r.path == "/v1/prices" and r.method == "POST" for r in stripe_server.requests) == 2


def test_a_changed_amount_gets_a_new_price_and_retires_the_old(app, stripe_server, plans,
                                                                monkeypatch):
    old = plans["monthly"].stripe_price_id
    monkeypatch.setattr(rules, "PLANS", (rules.PlanDefinition("monthly", "Monthly", "month", 1_900),
                                         rules.PLANS[1]))
    services.sync_plans()

    db.session.expire_all()
    new = db.session.scalar(select(Plan.stripe_price_id).filter_by(slug="monthly"))
    assert new != old and stripe_server._objects[new]["unit_amount"] == 1_900
    assert stripe_server._objects[old]["active"] is False


def test_join_creates_a_checkout_session_for_the_users_customer(client, stripe_server, plans):
    user = make_user()
    login_as(client, user)

    first = client.post("/membership/join/monthly")
    second = client.post("/membership/join/yearly")

    assert first.status_code == second.status_code == 303
    sessions = [r.params for r in stripe_server.requests if r.path == "/v1/checkout/sessions"]
    assert [s["client_reference_id"] for s in sessions] == [str(user.id)] * 2
    assert sessions[0]["mode"] == "subscription" and sessions[0]["allow_promotion_codes"] == "true"
    assert sessions[0]["subscription_data"]["trial_period_days"] == "7"
    assert "trial_period_days" not in sessions[1].get("subscription_data", {})
    assert sessions[0]["line_items"][0]["price"] == plans["monthly"].stripe_price_id
    assert "{CHECKOUT_SESSION_ID}" in sessions[0]["success_url"]
    customers = [r for r in stripe_server.requests if r.path == "/v1/customers"]
    assert len(customers) == 1  # reused for the second checkout
    assert db.session.get(BillingCustomer, user.id).stripe_customer_id == sessions[0]["customer"]
    assert not has_paid_access(user.id)  # checking out grants nothing by itself


def test_the_welcome_page_waits_for_the_webhook(client, stripe_server, plans):
    user = make_user()
    events = check_out(client, stripe_server, user)

    waiting = client.get("/membership/welcome")
    assert b"Payment received, activating" in waiting.data and b'http-equiv="refresh"' in waiting.data
    deliver_all(client, stripe_server, events)
    assert b"Welcome, member!" in client.get("/membership/welcome").data


def test_a_paid_checkout_makes_a_member_once(client, stripe_server, plans):
    user = make_user()
    events = check_out(client, stripe_server, user)
    assert [e["type"] for e in events] == ["checkout.session.completed",
                                           "customer.subscription.created", "invoice.paid"]

    deliver_all(client, stripe_server, events)
    repeat = deliver(client, stripe_server, events[1])

    assert repeat.status_code == 200 and repeat.json["duplicate"] is True
    sub = subscription_of(user)
    assert (sub.status, sub.plan.slug) == ("active", "yearly")
    assert sub.current_period_end > sub.created_at + timedelta(days=364)
    assert has_paid_access(user.id)
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "membership_started")) == 1
    assert stored_events() == 3


def test_the_subscription_event_may_arrive_before_the_checkout_event(client, stripe_server, plans):
    user = make_user()
    completed, created, paid = check_out(client, stripe_server, user)

    deliver_all(client, stripe_server, [created, paid, completed])

    assert subscription_of(user).status == "active" and has_paid_access(user.id)


# -- renewals, failures, cancellation --------------------------------------------------


def test_a_failed_renewal_is_past_due_with_three_days_of_grace_then_a_paid_one_clears_it(
        client, stripe_server, plans, app):
    user = make_user()
    deliver_all(client, stripe_server, check_out(client, stripe_server, user))
    sub_id = subscription_of(user).stripe_subscription_id
    stripe_server.now += 366 * 86400  # a year on, the renewal fails

    failed = stripe_server.renew(sub_id, paid=False)
    deliver_all(client, stripe_server, failed)

    sub = subscription_of(user)
    assert sub.status == "past_due" and sub.past_due_since is not None
    assert has_paid_access(user.id, now=sub.past_due_since + timedelta(days=2))
    assert not has_paid_access(user.id, now=sub.past_due_since + timedelta(days=3, seconds=1))
    assert db.session.scalar(select(Notification.id).filter_by(user_id=user.id,
                                                               kind="payment_failed"))

    deliver_all(client, stripe_server, stripe_server.renew(sub_id, paid=True))
    sub = subscription_of(user)
    assert (sub.status, sub.past_due_since) == ("active", None)
    assert _membership_news(user) == ["renewed"]  # the welcome folded into one line


def test_cancelling_in_the_portal_keeps_access_until_the_period_ends(client, stripe_server, plans):
    user = make_user()
    deliver_all(client, stripe_server, check_out(client, stripe_server, user))
    sub_id = subscription_of(user).stripe_subscription_id

    portal = client.post("/membership/portal")
    assert portal.status_code == 303 and portal.headers["Location"].startswith(f"{stripe_server.url}/portal/")
    request = next(r for r in stripe_server.requests if r.path == "/v1/billing_portal/sessions")
    assert request.params["return_url"].endswith("/membership/manage")

    deliver_all(client, stripe_server, stripe_server.portal_cancel(sub_id))
    sub = subscription_of(user)
    assert sub.cancel_at_period_end and has_paid_access(user.id)
    assert _membership_news(user) == ["ending"]
    page = client.get("/notifications").get_data(as_text=True)
    assert f"ends on {sub.current_period_end:%Y-%m-%d}" in page
    assert not has_paid_access(user.id, now=sub.current_period_end + timedelta(seconds=1))

    deliver_all(client, stripe_server, stripe_server.end_period(sub_id))
    assert subscription_of(user).status == "canceled"
    assert db.session.scalar(select(Event.id).filter_by(type="membership_ended", user_id=user.id))
    assert _membership_news(user) == ["ended"]


def _membership_news(user) -> list[str]:
    """The latest news of each of the user's membership lines: an unread line folds the
    next news into itself, so the welcome and what follows make one line."""
    return [n.data["news"] for n in db.session.scalars(select(Notification).filter_by(
        user_id=user.id, kind="membership").order_by(Notification.id))]


def test_a_late_update_never_revives_a_deleted_subscription(client, stripe_server, plans):
    user = make_user()
    deliver_all(client, stripe_server, check_out(client, stripe_server, user))
    sub_id = subscription_of(user).stripe_subscription_id
    (cancelled,) = stripe_server.portal_cancel(sub_id)
    stripe_server.now += 1
    (deleted,) = stripe_server.end_period(sub_id)

    deliver_all(client, stripe_server, [deleted, cancelled])  # out of order

    sub = subscription_of(user)
    assert sub.status == "canceled" and not has_paid_access(user.id)


def test_switching_plans_in_the_portal_moves_the_plan(client, stripe_server, plans):
    user = make_user()
    deliver_all(client, stripe_server, check_out(client, stripe_server, user, "yearly"))
    sub_id = subscription_of(user).stripe_subscription_id

    deliver_all(client, stripe_server,
                stripe_server.portal_switch(sub_id, plans["monthly"].stripe_price_id))

    assert subscription_of(user).plan.slug == "monthly"


def test_a_refund_is_recorded_for_an_admin_and_access_is_left_alone(client, stripe_server, plans):
    admin = make_user(role="admin")
    user = make_user()
    deliver_all(client, stripe_server, check_out(client, stripe_server, user))

    deliver_all(client, stripe_server,
                stripe_server.refund(subscription_of(user).stripe_subscription_id))

    refund = db.session.scalars(select(Refund)).one()
    assert refund.user_id == user.id and refund.amount_cents == 15_000
    assert has_paid_access(user.id)
    assert db.session.scalar(select(Notification.id).filter_by(user_id=admin.id, kind="refund"))


# -- the webhook door ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["wrong secret", "stale timestamp", "missing", "tampered"])
def test_an_unverified_webhook_is_refused_and_changes_nothing(client, stripe_server, plans, how):
    user = make_user()
    event = check_out(client, stripe_server, user)[1]
    payload = stripe_server.event_payload(event)
    signature = {
        "wrong secret": stripe_server.sign(payload, "whsec_someone_else"),
        "stale timestamp": stripe_server.sign(payload, SECRET, timestamp=int(time.time()) - 301),
        "missing": None,
        "tampered": stripe_server.sign(payload, SECRET),
    }[how]
    if how == "tampered":
        payload = payload.replace('"active"', '"trialing"')
    headers = {"Stripe-Signature": signature} if signature else {}

    response = client.post("/billing/webhook", data=payload, content_type="application/json",
                           headers=headers)

    assert response.status_code == 400 and "signature" in response.json["error"].lower()
    assert stored_events() == 0 and not has_paid_access(user.id)


def test_unknown_event_types_are_stored_and_acknowledged(client, stripe_server, plans):
    event = {**check_out(client, stripe_server, make_user())[0], "id": "evt_unknown_1",
             "type": "customer.tax_id.created"}

    response = deliver(client, stripe_server, event)

    assert response.status_code == 200 and response.json["status"] == "ignored"
    assert db.session.get(StripeEvent, "evt_unknown_1").status == "ignored"


def test_a_failing_handler_keeps_the_event_for_a_replay(client, app, stripe_server, plans):
    user = make_user()
    created = check_out(client, stripe_server, user)[1]
    customer = db.session.get(BillingCustomer, user.id)
    db.session.delete(customer)  # the app cannot tie the customer to anyone yet
    created["data"]["object"]["metadata"] = {}
    db.session.commit()

    response = deliver(client, stripe_server, created)

    assert response.status_code == 500
    stored = db.session.get(StripeEvent, created["id"])
    assert stored.status == "failed" and "no user for Stripe customer" in stored.error
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0

    db.session.add(BillingCustomer(user_id=user.id, stripe_customer_id=customer.stripe_customer_id))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["billing", "replay", created["id"]])

    assert result.exit_code == 0, result.output
    assert "processed" in result.output
    db.session.expire_all()
    assert db.session.get(StripeEvent, created["id"]).status == "processed"
    assert has_paid_access(user.id)


def test_replaying_an_unknown_event_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["billing", "replay", "evt_nope"])
    assert result.exit_code != 0 and "no stored Stripe event evt_nope" in result.output


def test_the_billing_log_is_for_admins(client, stripe_server, plans):
    deliver_all(client, stripe_server, check_out(client, stripe_server, make_user()))
    for role, status in (("member", 403), ("moderator", 403), ("admin", 200)):
        login_as(client, make_user(role=role))
        assert client.get("/admin/billing").status_code == status
    page = client.get("/admin/billing?status=processed").get_data(as_text=True)
    assert "customer.subscription.created" in page and "invoice.paid" in page
