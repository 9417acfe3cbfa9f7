"""The fake Stripe answers the real SDK the way Stripe would, for every endpoint Guildhall calls."""

import time
import urllib.error
import urllib.request

import pytest
import stripe

from tests.fixtures.stripe_server import DAY, event_payload, parse_form, running_stripe_server, sign

START = 1_767_225_600  # 2026-01-01, so periods are easy to check


@pytest.fixture
def server():
    with running_stripe_server(now=START) as server:
        yield server


@pytest.fixture
def client(server):
    return stripe.StripeClient("sk_test_x", base_addresses={"api": server.url})


@pytest.fixture
def price(client):
    product = client.v1.products.create(params={"name": "Member"})
    return client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 900,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "lookup_key": "member_monthly",
        }
    )


@pytest.fixture
def customer(client):
    return client.v1.customers.create(params={"email": "ada@example.com", "name": "Ada"})


def checkout(client, customer, price, **extra):
    params = {
        "mode": "subscription",
        "customer": customer and customer.id,
        "line_items": [{"price": price.id, "quantity": 1}],
        "success_url": "https://guildhall.test/billing/done?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://guildhall.test/billing",
    }
    return client.v1.checkout.sessions.create(params=params | extra)


def subscribe(server, client, customer, price, **extra) -> str:
    session = checkout(client, customer, price, **extra)
    return server.complete_checkout(session.id)[1]["data"]["object"]["id"]


def types(events):
    return [event["type"] for event in events]


def test_parse_form_nests_keys_lists_and_blank_values():
    pairs = [
        ("line_items[0][price]", "price_1"),
        ("line_items[0][quantity]", "1"),
        ("line_items[1][price]", "price_2"),
        ("metadata[user_id]", "5"),
        ("metadata[7]", "numeric keys stay keys"),
        ("subscription_data[trial_period_days]", "7"),
        ("expand[0]", "subscription"),
        ("expand[]", "customer"),
        ("description", ""),
    ]
    assert parse_form(pairs) == {
        "line_items": [{"price": "price_1", "quantity": "1"}, {"price": "price_2"}],
        "metadata": {"user_id": "5", "7": "numeric keys stay keys"},
        "subscription_data": {"trial_period_days": "7"},
        "expand": ["subscription", "customer"],
        "description": "",
    }


def test_customers_are_created_and_retrieved(server, client):
    created = client.v1.customers.create(
        params={"email": "ada@example.com", "name": "Ada", "metadata": {"user_id": 5}}
    )
    assert created.id.startswith("cus_")
    assert created.object == "customer"
    assert (created.created, created.livemode) == (START, False)
    assert created.metadata == {"user_id": "5"}
    fetched = client.v1.customers.retrieve(created.id)
    assert (fetched.id, fetched.email, fetched.name) == (created.id, "ada@example.com", "Ada")


def test_a_missing_object_is_a_404_invalid_request_error(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.retrieve("cus_missing")
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    assert "No such customer: 'cus_missing'" in str(caught.value)


def test_unknown_parameters_are_refused_as_stripe_refuses_them(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.create(params={"emial": "typo@example.com"})
    assert caught.value.param == "emial"
    assert caught.value.http_status == 400


def test_a_live_key_is_refused(server):
    live = stripe.StripeClient("sk_live_x", base_addresses={"api": server.url})
    with pytest.raises(stripe.AuthenticationError):
        live.v1.customers.create()


def test_an_unknown_url_is_a_404(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.coupons.create(params={"percent_off": 10})
    assert caught.value.http_status == 404


def test_products_are_created_updated_and_retrieved(client):
    product = client.v1.products.create(
        params={"name": "Member", "description": "All areas", "metadata": {"tier": "1", "old": "x"}}
    )
    assert (product.object, product.active, product.description) == ("product", True, "All areas")
    assert product.id.startswith("prod_")
    updated = client.v1.products.update(
        product.id, params={"name": "Member+", "active": False, "metadata": {"old": "", "new": "y"}}
    )
    assert (updated.name, updated.active) == ("Member+", False)
    assert updated.metadata == {"tier": "1", "new": "y"}
    assert client.v1.products.retrieve(product.id).name == "Member+"


def test_prices_are_created_and_retrieved(client, price):
    assert price.id.startswith("price_")
    assert (price.object, price.unit_amount, price.currency, price.type) == ("price", 900, "usd", "recurring")
    assert price.recurring == {"interval": "month", "interval_count": 1}
    fetched = client.v1.prices.retrieve(price.id)
    assert (fetched.lookup_key, fetched.active, fetched.product) == ("member_monthly", True, price.product)


def test_a_price_changes_only_where_stripe_lets_it(client, price):
    updated = client.v1.prices.update(
        price.id, params={"active": False, "nickname": "Old monthly", "metadata": {"a": "1"}}
    )
    assert (updated.active, updated.nickname, updated.metadata) == (False, "Old monthly", {"a": "1"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.prices.update(price.id, params={"unit_amount": 1200})
    assert caught.value.param == "unit_amount"
    assert client.v1.prices.retrieve(price.id).unit_amount == 900


def test_a_price_needs_an_existing_product_and_a_free_lookup_key(client, price):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.prices.create(params={"product": "prod_missing", "unit_amount": 1, "currency": "usd"})
    assert caught.value.param == "product"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.prices.create(
            params={"product": price.product, "unit_amount": 1, "currency": "usd", "lookup_key": "member_monthly"}
        )
    assert caught.value.param == "lookup_key"


def test_a_checkout_session_is_open_with_a_hosted_url(server, client, customer, price):
    session = checkout(
        client,
        customer,
        price,
        client_reference_id="5",
        allow_promotion_codes=True,
        metadata={"user_id": "5"},
        subscription_data={"trial_period_days": 7, "metadata": {"user_id": "5"}},
    )
    assert session.id.startswith("cs_test_")
    assert session.url == f"{server.url}/pay/{session.id}"
    assert (session.status, session.payment_status, session.subscription) == ("open", "unpaid", None)
    assert session.success_url.endswith("session={CHECKOUT_SESSION_ID}")
    assert (session.customer, session.client_reference_id, session.mode) == (customer.id, "5", "subscription")
    assert session.expires_at == START + DAY
    assert client.v1.checkout.sessions.retrieve(session.id).metadata == {"user_id": "5"}
    sent = next(r for r in server.requests if r.path == "/v1/checkout/sessions")
    assert sent.method == "POST"
    assert sent.params["client_reference_id"] == "5"
    assert sent.params["allow_promotion_codes"] == "true"
    assert sent.params["line_items"] == [{"price": price.id, "quantity": "1"}]
    assert sent.params["subscription_data"] == {"trial_period_days": "7", "metadata": {"user_id": "5"}}


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"mode": "payment"}, "mode"),
        ({"line_items": [{"price": "price_missing", "quantity": 1}]}, "line_items[0][price]"),
        ({"success_url": None}, "success_url"),
        ({"subscription_data": {"trial_days": 7}}, "subscription_data[trial_days]"),
    ],
)
def test_a_checkout_session_is_refused_when_stripe_would_refuse_it(client, customer, price, change, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        checkout(client, customer, price, **change)
    assert caught.value.param == param


def test_a_checkout_session_needs_an_existing_customer(client, price):
    line_items = [{"price": price.id, "quantity": 1}]
    params = {"mode": "subscription", "customer": "cus_missing", "line_items": line_items, "success_url": "x"}
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(params=params)
    assert (caught.value.param, caught.value.code) == ("customer", "resource_missing")


def test_checkout_refuses_an_archived_price(client, customer, price):
    client.v1.prices.update(price.id, params={"active": False})
    with pytest.raises(stripe.InvalidRequestError, match="inactive"):
        checkout(client, customer, price)


def test_completing_checkout_starts_a_paid_subscription(server, client, customer, price):
    session = checkout(client, customer, price)
    events = server.complete_checkout(session.id)
    assert types(events) == ["checkout.session.completed", "customer.subscription.created", "invoice.paid"]
    completed, created, paid = (event["data"]["object"] for event in events)
    assert (completed["status"], completed["payment_status"]) == ("complete", "paid")
    assert completed["subscription"] == created["id"]
    assert created["id"].startswith("sub_")
    assert (created["status"], created["customer"], created["trial_end"]) == ("active", customer.id, None)
    [item] = created["items"]["data"]
    assert item["id"].startswith("si_")
    assert item["price"]["id"] == price.id
    assert (item["current_period_start"], item["current_period_end"]) == (START, START + 30 * DAY)
    assert paid["id"] == created["latest_invoice"]
    assert (paid["status"], paid["amount_paid"], paid["customer"]) == ("paid", 900, customer.id)
    assert paid["parent"]["subscription_details"]["subscription"] == created["id"]
    for event in events:
        assert event["id"].startswith("evt_")
        assert (event["object"], event["api_version"], event["created"]) == ("event", "2026-02-25.clover", START)
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"
    assert server.pop_events() == [], "helpers hand their events over, not to the outbox"


def test_a_trial_checkout_starts_trialing_with_the_subscription_metadata(server, client, customer, price):
    sub_id = subscribe(
        server, client, customer, price, subscription_data={"trial_period_days": 7, "metadata": {"user_id": "5"}}
    )
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert (sub.status, sub.trial_end, sub.metadata) == ("trialing", START + 7 * DAY, {"user_id": "5"})
    assert sub["items"].data[0].current_period_end == START + 7 * DAY
    session = server.events[-3]["data"]["object"]
    assert session["payment_status"] == "no_payment_required"
    with pytest.raises(ValueError):
        server.refund(sub_id)


def test_a_checkout_without_a_customer_creates_one(server, client, price):
    session = checkout(client, None, price)
    assert session.customer is None
    completed, created, _ = server.complete_checkout(session.id)
    customer_id = completed["data"]["object"]["customer"]
    assert customer_id.startswith("cus_")
    assert created["data"]["object"]["customer"] == customer_id
    assert client.v1.customers.retrieve(customer_id).object == "customer"


def test_expand_replaces_ids_with_objects(server, client, customer, price):
    session = checkout(client, customer, price)
    server.complete_checkout(session.id)
    fetched = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["subscription.latest_invoice"]})
    assert fetched.subscription.object == "subscription"
    assert fetched.subscription.latest_invoice.object == "invoice"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["mode"]})


def test_visiting_the_checkout_url_pays_and_returns_to_success_url(server, client, customer, price):
    session = checkout(client, customer, price)
    location = _redirect_of(session.url)
    assert location == f"https://guildhall.test/billing/done?session={session.id}"
    assert types(server.pop_events()) == [
        "checkout.session.completed",
        "customer.subscription.created",
        "invoice.paid",
    ]


def test_a_portal_session_links_back_to_return_url(server, client, customer):
    portal = client.v1.billing_portal.sessions.create(
        params={"customer": customer.id, "return_url": "https://guildhall.test/account"}
    )
    assert portal.id.startswith("bps_")
    assert (portal.object, portal.customer) == ("billing_portal.session", customer.id)
    assert portal.url == f"{server.url}/portal/{portal.id}"
    assert _redirect_of(portal.url) == "https://guildhall.test/account"


def test_cancel_at_period_end_and_back_through_the_api(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    server.now = START + DAY
    sub = client.v1.subscriptions.update(sub_id, params={"cancel_at_period_end": True})
    assert (sub.cancel_at_period_end, sub.cancel_at, sub.canceled_at) == (True, START + 30 * DAY, START + DAY)
    assert sub.status == "active"
    [event] = server.pop_events()
    assert event["type"] == "customer.subscription.updated"
    assert event["data"]["previous_attributes"]["cancel_at_period_end"] is False
    resumed = client.v1.subscriptions.update(sub_id, params={"cancel_at_period_end": False})
    assert (resumed.cancel_at_period_end, resumed.cancel_at, resumed.canceled_at) == (False, None, None)
    assert types(server.pop_events()) == ["customer.subscription.updated"]


def test_switching_plan_through_the_api_needs_the_item_id(server, client, customer, price):
    yearly = client.v1.prices.create(
        params={"product": price.product, "unit_amount": 9000, "currency": "usd", "recurring": {"interval": "year"}}
    )
    sub_id = subscribe(server, client, customer, price)
    item_id = client.v1.subscriptions.retrieve(sub_id)["items"].data[0].id
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.subscriptions.update(sub_id, params={"items": [{"price": yearly.id}]})
    assert caught.value.param == "items[0][id]"
    sub = client.v1.subscriptions.update(
        sub_id, params={"items": [{"id": item_id, "price": yearly.id}], "proration_behavior": "none"}
    )
    assert sub["items"].data[0].price.id == yearly.id
    assert sub["items"].data[0].id == item_id
    [event] = server.pop_events()
    assert event["data"]["previous_attributes"]["items"]["data"][0]["price"]["id"] == price.id


def test_cancelling_now_through_the_api(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    server.now = START + 3 * DAY
    sub = client.v1.subscriptions.cancel(sub_id)
    assert (sub.status, sub.canceled_at, sub.ended_at) == ("canceled", START + 3 * DAY, START + 3 * DAY)
    [event] = server.pop_events()
    assert (event["type"], event["data"]["object"]["status"]) == ("customer.subscription.deleted", "canceled")
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.update(sub_id, params={"cancel_at_period_end": True})


def test_a_paid_renewal_advances_the_period_from_its_end(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    events = server.renew(sub_id, paid=True)
    assert types(events) == ["invoice.paid", "customer.subscription.updated"]
    invoice, sub = (event["data"]["object"] for event in events)
    assert (invoice["billing_reason"], invoice["amount_paid"]) == ("subscription_cycle", 900)
    assert sub["latest_invoice"] == invoice["id"]
    item = sub["items"]["data"][0]
    assert (item["current_period_start"], item["current_period_end"]) == (START + 30 * DAY, START + 60 * DAY)
    assert events[1]["data"]["previous_attributes"]["items"]["data"][0]["current_period_end"] == START + 30 * DAY


def test_a_trial_renews_into_active(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price, subscription_data={"trial_period_days": 7})
    sub = server.renew(sub_id, paid=True)[-1]["data"]
    assert (sub["object"]["status"], sub["previous_attributes"]["status"]) == ("active", "trialing")
    assert sub["object"]["items"]["data"][0]["current_period_end"] == START + 37 * DAY


def test_a_failed_renewal_leaves_the_subscription_past_due(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    events = server.renew(sub_id, paid=False)
    assert types(events) == ["invoice.payment_failed", "customer.subscription.updated"]
    invoice = events[0]["data"]["object"]
    assert (invoice["status"], invoice["amount_paid"], invoice["amount_remaining"]) == ("open", 0, 900)
    assert client.v1.subscriptions.retrieve(sub_id).status == "past_due"


def test_portal_cancel_resume_and_end_of_period(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    with pytest.raises(ValueError):
        server.end_period(sub_id)
    [cancelled] = server.portal_cancel(sub_id)
    assert cancelled["data"]["object"]["cancel_at"] == START + 30 * DAY
    [resumed] = server.portal_resume(sub_id)
    assert resumed["data"]["object"]["cancel_at_period_end"] is False
    server.portal_cancel(sub_id)
    [ended] = server.end_period(sub_id)
    assert ended["type"] == "customer.subscription.deleted"
    assert (ended["data"]["object"]["status"], ended["data"]["object"]["ended_at"]) == ("canceled", START + 30 * DAY)
    with pytest.raises(ValueError):
        server.renew(sub_id, paid=True)


def test_portal_switch_changes_the_price_and_keeps_the_period(server, client, customer, price):
    other = client.v1.prices.create(
        params={"product": price.product, "unit_amount": 1500, "currency": "usd", "recurring": {"interval": "month"}}
    )
    sub_id = subscribe(server, client, customer, price)
    [event] = server.portal_switch(sub_id, other.id)
    item = event["data"]["object"]["items"]["data"][0]
    assert (item["price"]["id"], item["current_period_end"]) == (other.id, START + 30 * DAY)
    assert client.v1.subscriptions.retrieve(sub_id)["items"].data[0].price.unit_amount == 1500


def test_refund_by_subscription_or_charge(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    [event] = server.refund(sub_id)
    charge = event["data"]["object"]
    assert event["type"] == "charge.refunded"
    assert charge["id"].startswith("ch_")
    assert (charge["customer"], charge["amount"], charge["amount_refunded"], charge["refunded"]) == (
        customer.id,
        900,
        900,
        True,
    )
    assert client.v1.charges.retrieve(charge["id"]).refunded is True
    with pytest.raises(ValueError):
        server.refund(charge["id"])
    server.renew(sub_id, paid=True)
    [again] = server.refund(sub_id)
    assert again["data"]["object"]["id"] != charge["id"]


def test_events_are_snapshots_of_their_moment(server, client, customer, price):
    sub_id = subscribe(server, client, customer, price)
    created = server.events[-2]
    server.portal_cancel(sub_id)
    assert created["data"]["object"]["cancel_at_period_end"] is False


def test_a_signed_event_passes_the_sdks_check_and_a_forged_one_fails(server, client, customer, price):
    session = checkout(client, customer, price)
    event = server.complete_checkout(session.id)[0]
    payload = event_payload(event)
    constructed = stripe.Webhook.construct_event(payload, server.sign(payload, "whsec_test"), "whsec_test")
    assert (constructed.type, constructed.data.object.id) == ("checkout.session.completed", session.id)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, sign(payload, "whsec_other"), "whsec_test")
    stale = sign(payload, "whsec_test", timestamp=int(time.time()) - 301)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(payload, stale, "whsec_test", tolerance=300)
    assert sign(payload.encode(), "whsec_test", timestamp=1) == sign(payload, "whsec_test", timestamp=1)


def test_the_module_level_api_works_with_api_base(server, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", "sk_test_x")
    monkeypatch.setattr(stripe, "api_base", server.url)
    customer = stripe.Customer.create(email="ada@example.com")
    assert stripe.Customer.retrieve(customer.id).email == "ada@example.com"


def test_the_clock_is_the_tests_to_move(server, client):
    server.now = START + 5 * DAY
    assert client.v1.customers.create().created == START + 5 * DAY


def test_the_server_stops_when_the_block_ends():
    with running_stripe_server() as server:
        url = server.url
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": url}, max_network_retries=0)
    with pytest.raises(stripe.APIConnectionError):
        client.v1.customers.create()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _redirect_of(url: str) -> str:
    """Where a browser visiting `url` is sent next."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.build_opener(_NoRedirect).open(url)
    assert caught.value.code == 303
    return caught.value.headers["Location"]
