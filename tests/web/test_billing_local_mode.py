"""Membership without Stripe keys: the local test-mode checkout and portal, which sign
events and send them through the real webhook handler."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.billing import services
from app.billing.membership import has_paid_access, is_member
from app.billing.models import StripeEvent, Subscription
from app.extensions import db
from app.gamification.models import BadgeAward
from app.insights.models import Event
from app.notifications.models import Notification
from app.timeutil import utcnow
from jobs.runner import run_job
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.smtp import read_outbox
from tests.fixtures.users import login_as, make_user


@pytest.fixture(autouse=True)
def _plans(app):
    services.sync_plans()


def _join(client, user, plan="monthly"):
    login_as(client, user)
    response = client.post(f"/membership/join/{plan}")
    assert response.status_code == 303
    checkout = response.headers["Location"]
    assert "/membership/test-checkout/" in checkout
    return checkout


def _subscription(user) -> Subscription:
    db.session.expire_all()
    return db.session.scalars(select(Subscription).filter_by(user_id=user.id)).one()


def test_the_pricing_page_shows_the_plans_and_says_test_mode(client):
    page = client.get("/membership").get_data(as_text=True)
    assert "Monthly" in page and "Yearly" in page and "15.00" in page and "150.00" in page
    assert "Test mode." in page and "7-day free trial" in page
    assert "Log in to join" in page


def test_a_test_checkout_makes_a_member_through_signed_webhook_events(client):
    user = make_user()
    lounge = make_category(name="Members' Lounge", member_only=True)
    assert not is_member(user)
    checkout = _join(client, user)
    assert client.get(f"/c/{lounge.slug}").status_code == 403

    page = client.get(checkout)
    assert b"Test mode." in page.data and b"Complete test payment" in page.data
    done = client.post(checkout)

    assert done.status_code == 303 and done.headers["Location"].endswith("/membership/welcome")
    assert has_paid_access(user.id)
    sub = _subscription(user)
    assert sub.status == "trialing" and sub.plan.slug == "monthly"
    assert sub.current_period_end > utcnow() + timedelta(days=6)
    types = db.session.scalars(select(StripeEvent.type).order_by(StripeEvent.received_at)).all()
    assert sorted(types) == ["checkout.session.completed", "customer.subscription.created",
                             "invoice.paid"]
    assert set(db.session.scalars(select(StripeEvent.status))) == {"processed"}
    assert b"Welcome, member!" in client.get("/membership/welcome").data
    assert client.get(f"/c/{lounge.slug}").status_code == 200


def test_becoming_a_member_fires_the_event_the_badge_and_the_welcome_once(client):
    user = make_user()
    client.post(_join(client, user))

    started = db.session.scalars(select(Event).filter_by(type="membership_started")).all()
    assert [e.user_id for e in started] == [user.id]
    assert db.session.scalar(select(BadgeAward.badge).filter_by(user_id=user.id,
                                                                 badge="patron")) == "patron"
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == "membership")) == 1
    assert b"Welcome, member!" in client.get("/notifications").data


def test_cancelling_keeps_access_until_the_period_ends_and_keeps_the_posts(client):
    user = make_user()
    category = make_category(member_only=True)
    client.post(_join(client, user, "yearly"))
    thread = make_thread(author=user, category=category, title="A member's question about pandas")

    client.post("/membership/test-portal", data={"action": "cancel"})
    sub = _subscription(user)
    assert sub.cancel_at_period_end and has_paid_access(user.id)
    assert b"will not renew" in client.get("/membership/manage").data

    client.post("/membership/test-portal", data={"action": "end_now"})
    assert _subscription(user).status == "canceled"
    assert not has_paid_access(user.id)
    assert db.session.scalar(select(Event.id).filter_by(type="membership_ended", user_id=user.id))
    assert client.get(f"/t/{thread.id}/{thread.slug}").status_code == 403
    db.session.expire_all()
    assert db.session.get(type(thread), thread.id).deleted_at is None


def test_a_failed_payment_keeps_access_for_three_days_and_tells_the_member(client, app):
    user = make_user()
    client.post(_join(client, user, "yearly"))

    client.post("/membership/test-portal", data={"action": "fail_payment"})

    sub = _subscription(user)
    assert sub.status == "past_due" and sub.past_due_since is not None
    assert has_paid_access(user.id)
    assert not has_paid_access(user.id, now=sub.past_due_since + timedelta(days=3, minutes=1))
    assert b"Payment failed." in client.get("/membership/manage").data
    assert db.session.scalar(select(Notification.id).filter_by(user_id=user.id,
                                                               kind="payment_failed"))
    # The email comes from the notification emails (as the membership preference says),
    # not from the webhook, so a retried webhook cannot send it twice.
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []
    run_job("notify-email", as_of=utcnow() + timedelta(minutes=2))
    mails = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert [m["Subject"].split(":")[0] for m in mails] == ["Your membership payment failed"]


def test_members_cannot_check_out_twice(client):
    user = make_user()
    client.post(_join(client, user))

    again = client.post("/membership/join/yearly")

    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 1


def test_a_checkout_link_is_only_good_for_its_owner(client):
    owner = make_user()
    checkout = _join(client, owner)
    login_as(client, make_user())

    assert client.get(checkout).status_code == 404
    assert client.post(checkout).status_code == 404
    assert not has_paid_access(owner.id)


def test_joining_needs_a_login_and_a_real_plan(client):
    assert client.post("/membership/join/monthly").status_code == 302  # to the login page
    login_as(client, make_user())
    assert client.post("/membership/join/lifetime").status_code == 404


def test_the_portal_needs_a_membership(client):
    login_as(client, make_user())
    response = client.post("/membership/portal")
    assert response.status_code == 404
    assert client.post("/membership/test-portal", data={"action": "bogus"}).status_code == 400


def test_staff_read_member_only_content_without_paying(app):
    assert is_member(make_user(role="moderator"))
    assert not is_member(make_user())


def test_non_members_get_a_teaser_with_the_title_but_never_the_body(client):
    lounge = make_category(name="Members' Lounge", member_only=True)
    thread = make_thread(author=make_user(), category=lounge,
                         title="Salary bands for junior data analysts",
                         body="The secret body nobody outside should read.")

    for who in (None, make_user()):
        if who is not None:
            login_as(client, who)
        page = client.get(f"/t/{thread.id}/{thread.slug}")
        assert page.status_code == 403
        text = page.get_data(as_text=True)
        assert "Salary bands for junior data analysts" in text and "Become a member" in text
        assert "secret body" not in text
    category_page = client.get(f"/c/{lounge.slug}")
    assert category_page.status_code == 403 and b"Become a member" in category_page.data
    assert b"Salary bands" in category_page.data and b"secret body" not in category_page.data


def test_the_teaser_answers_json_clients_with_json(client):
    thread = make_thread(author=make_user(), category=make_category(member_only=True))
    response = client.get(f"/t/{thread.id}", headers={"Accept": "application/json"})
    assert response.status_code == 403 and "members-only" in response.json["error"]
