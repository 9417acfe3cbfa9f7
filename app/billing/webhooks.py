"""Stripe webhooks: the only way access changes.

`receive_webhook` verifies the signature with the real SDK, stores the event by its id
(committed before anything else, so it is never lost) and processes it once: a
redelivered event that was processed is acknowledged and ignored. Processing runs in
its own transaction; if a handler raises, its writes roll back, the event is kept with
status `failed` and the error, and the caller answers 500 so Stripe retries.
`replay_event` runs a stored event again. Events may arrive in any order: the
subscription handlers compare the event's time with the last one applied
(`rules.is_newer`), so an older event never overwrites a newer state.
"""

import traceback
from dataclasses import dataclass

from sqlalchemy import select

from app.billing import gateway, rules
from app.billing.handlers import HANDLERS
from app.billing.models import StripeEvent
from app.extensions import db
from app.forum.savepoint import insert_once
from app.timeutil import utcnow

PROCESSED = "processed"
IGNORED = "ignored"  # an event type we store but do not act on
FAILED = "failed"
RECEIVED = "received"
DONE = frozenset({PROCESSED, IGNORED})


class HandlerFailed(Exception):
    """The event is stored as failed; answer 500 so Stripe delivers it again."""


@dataclass(frozen=True)
class Receipt:
    event_id: str
    status: str
    duplicate: bool = False


def receive_webhook(payload: bytes, signature: str | None) -> Receipt:
    """Verify, store and process one delivery. Raises `gateway.BadSignature` (400, nothing
    stored) or `HandlerFailed` (500, stored as failed)."""
    event = gateway.verify_event(payload, signature)
    insert_once(StripeEvent(  # a redelivery finds its row already there
        id=event["id"], type=event["type"], created=rules.from_timestamp(event["created"]),
        payload=event, status=RECEIVED,
    ))
    db.session.commit()
    return process_event(event["id"])


def replay_event(event_id: str) -> Receipt:
    """`flask billing replay`: process a stored event again, whatever its status."""
    return process_event(event_id, force=True)


def process_event(event_id: str, *, force: bool = False) -> Receipt:
    """Run the event's handler once; the event row is locked so a retry from Stripe and a
    replay cannot run it side by side."""
    stored = db.session.scalars(
        select(StripeEvent).where(StripeEvent.id == event_id).with_for_update()
    ).one_or_none()
    if stored is None:
        raise LookupError(f"no stored Stripe event {event_id}")
    if stored.status in DONE and not force:
        db.session.rollback()
        return Receipt(event_id, stored.status, duplicate=True)
    handler = HANDLERS.get(stored.type)
    stored.attempts += 1
    try:
        if handler is not None:
            handler(stored.payload["data"]["object"], stored)
    except Exception as error:  # any failure: keep the event, say why, let Stripe retry
        db.session.rollback()
        _mark_failed(event_id, error)
        raise HandlerFailed(f"{stored.type} {event_id}: {error}") from error
    stored.status = PROCESSED if handler is not None else IGNORED
    stored.error = None
    stored.processed_at = utcnow()
    db.session.commit()
    return Receipt(event_id, stored.status)


def _mark_failed(event_id: str, error: Exception) -> None:
    stored = db.session.get(StripeEvent, event_id)
    stored.status = FAILED
    stored.attempts += 1
    stored.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
    db.session.commit()
