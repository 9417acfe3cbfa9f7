"""The one door to Stripe: the only module that imports `stripe`.

Keys come from the config (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`), and
`STRIPE_API_BASE` points the SDK at another server (the tests' Stripe test server).
Without a secret key the site runs in local test mode: nothing here is called except
`verify_event` and `sign_payload`, which the local checkout uses to drive the real
webhook handler with a properly signed event.
"""

import hashlib
import hmac
import json
import time

import stripe
from flask import current_app


class GatewayError(Exception):
    """Stripe refused or could not be reached; the message is fit to log, not to show."""


class BadSignature(Exception):
    """A webhook whose signature, timestamp or body does not verify."""


def live() -> bool:
    """True when a Stripe key is configured; False means local test mode."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def webhook_secret() -> str:
    """The configured signing secret, or in local test mode one derived from SECRET_KEY."""
    configured = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if configured:
        return configured
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), b"stripe-local-webhooks",
                      hashlib.sha256).hexdigest()
    return f"whsec_local_{digest[:32]}"


def create_customer(*, email: str, name: str, user_id: int) -> str:
    customer = _call(_client().v1.customers.create,
                     {"email": email, "name": name, "metadata": {"user_id": str(user_id)}})
    return customer.id


def create_checkout_session(*, customer_id: str, price_id: str, user_id: int, trial_days: int,
                            success_url: str, cancel_url: str) -> str:
    """A subscription Checkout Session; returns the URL to send the member to."""
    params = {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": str(user_id),
        "line_items": [{"price": price_id, "quantity": 1}],
        "allow_promotion_codes": True,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "subscription_data": {"metadata": {"user_id": str(user_id)}},
        "metadata": {"user_id": str(user_id)},
    }
    if trial_days:
        params["subscription_data"]["trial_period_days"] = trial_days
    return _call(_client().v1.checkout.sessions.create, params).url


def create_portal_session(*, customer_id: str, return_url: str) -> str:
    session = _call(_client().v1.billing_portal.sessions.create,
                    {"customer": customer_id, "return_url": return_url})
    return session.url


def save_product(product_id: str | None, *, name: str, description: str) -> str:
    """Create the membership Product, or update the one we made before."""
    params = {"name": name, "description": description}
    if product_id:
        return _call(_client().v1.products.update, params, product_id).id
    return _call(_client().v1.products.create, {**params, "metadata": {"app": "guildhall"}}).id


def price_matches(price_id: str, *, amount_cents: int, currency: str, interval: str) -> bool:
    price = _call(_client().v1.prices.retrieve, None, price_id)
    return (price.active and price.unit_amount == amount_cents and price.currency == currency
            and price.recurring is not None and price.recurring.interval == interval)


def create_price(*, product_id: str, amount_cents: int, currency: str, interval: str,
                 nickname: str, lookup_key: str) -> str:
    return _call(_client().v1.prices.create, {
        "product": product_id, "unit_amount": amount_cents, "currency": currency,
        "recurring": {"interval": interval}, "nickname": nickname, "lookup_key": lookup_key,
        "transfer_lookup_key": True,
    }).id


def retire_price(price_id: str) -> None:
    """Prices are immutable in Stripe; a changed plan gets a new one and the old retires."""
    _call(_client().v1.prices.update, {"active": False}, price_id)


def verify_event(payload: bytes, signature: str | None) -> dict:
    """The event, once the real SDK has verified its `Stripe-Signature` (300 s tolerance)."""
    if not signature:
        raise BadSignature("missing Stripe-Signature header")
    try:
        stripe.Webhook.construct_event(payload, signature, webhook_secret())
        return json.loads(payload)  # the verified body as plain JSON, not SDK objects
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error


def sign_payload(payload: str, *, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header for `payload`, in Stripe's scheme (local test mode)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload}".encode()
    mac = hmac.new(webhook_secret().encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def _client() -> stripe.StripeClient:
    config = current_app.config
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base} if base else None,
        max_network_retries=2,
    )


def _call(method, params, *args):
    try:
        return method(*args, params=params) if params is not None else method(*args)
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe: {error.user_message or error}") from error
