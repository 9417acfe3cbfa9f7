"""The daily re-engagement campaign: choose the audience, log a message each, deliver.

Choosing writes one `EmailMessage` per eligible person for the day (campaign and kind
"reengagement", period = the day), pending or held out, each with its subject variant;
the unique (user, campaign, period) key means a re-run, or two runs at once, never log
anyone twice. Delivering renders each pending row when it is sent, so the digest is
fresh, and someone who withdrew consent, was suspended or bounced since the choice, or
has nothing left worth reading, is skipped rather than written to.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import func, select

from app.accounts.models import User
from app.database import insert_skipping_conflicts
from app.extensions import db
from app.outreach import audience, eligibility, holdout, links, preferences
from app.outreach.digest import build_digest
from app.outreach.mailer import render_email
from app.outreach.models import EmailMessage, MessageStatus
from app.outreach.sending import Delivery, Outgoing, bounced_user_ids, deliver, pending_ids
from app.timeutil import utcnow

CAMPAIGN = "reengagement"
KIND = preferences.REENGAGEMENT
# Subject lines under test; the key is stored on each row as its variant.
SUBJECTS = {
    "a": "What you missed on {site}",
    "b": "{name}, here is what is new on {site}",
}


def run_campaign(as_of: datetime, *, track: Callable[[Iterable], Iterable] = iter
                 ) -> dict[str, int]:
    """The day's run: choose, then deliver everything pending; returns counts."""
    if not current_app.config.get("SERVER_NAME"):
        # Checked first: a link that cannot be built would fail each claimed message.
        raise RuntimeError("Set SERVER_NAME (the site's host name) so that emails sent "
                           "outside a request can link back to the site.")
    counts = choose_audience(as_of)
    counts.update(send_pending(track=track).as_counts())
    return counts


def choose_audience(as_of: datetime) -> dict[str, int]:
    """Log the day's messages: pending for most, held out for a stable share. Commits."""
    percent = float(current_app.config["OUTREACH_HOLDOUT_PERCENT"])
    period = as_of.date().isoformat()
    counts = Counter({"candidates": 0, "selected": 0, "held_out": 0})
    for batch in audience.gather(as_of):
        rows = []
        for candidate in batch:
            counts["candidates"] += 1
            reason = eligibility.exclusion(candidate, as_of)
            if reason is not None:
                counts[f"excluded_{reason}"] += 1
                continue
            rows.append(_message_row(candidate, period, percent))
        inserted = insert_skipping_conflicts(EmailMessage, rows)
        db.session.commit()
        counts["selected"] += len(inserted)
        counts["held_out"] += _held_out_among(inserted)
    return dict(counts)


def _message_row(candidate: eligibility.Candidate, period: str, percent: float) -> dict:
    user_id = candidate.user_id
    held_out = holdout.is_held_out(user_id, CAMPAIGN, percent)
    return dict(user_id=user_id, kind=KIND, campaign=CAMPAIGN, period=period,
                status=MessageStatus.HELD_OUT if held_out else MessageStatus.PENDING,
                variant=holdout.variant(user_id, CAMPAIGN, tuple(SUBJECTS)),
                data={"last_seen": candidate.last_seen.isoformat()})


def _held_out_among(message_ids: list[int]) -> int:
    if not message_ids:
        return 0
    return db.session.scalar(select(func.count()).select_from(EmailMessage).where(
        EmailMessage.id.in_(message_ids), EmailMessage.status == MessageStatus.HELD_OUT))


def send_pending(*, track: Callable[[Iterable], Iterable] = iter) -> Delivery:
    """Deliver every pending row of the campaign, today's and any a dropped server left,
    in real time whatever day was chosen for."""
    return deliver(pending_ids(CAMPAIGN), render, track=track)


def render(message: EmailMessage, user: User) -> Outgoing | None:
    """The email for `message`, built now; None (skipped) when the person may no longer
    be written to or nothing is worth reading any more."""
    if not may_still_email(user):
        return None
    since = _absent_since(message, user)
    digest = build_digest(user, since=since, now=utcnow())
    if not digest.worth_reading:
        return None

    def link(endpoint: str, **values) -> str:
        return links.tracked_url(message.id, url_for(endpoint, _external=False, **values))

    subject = subject_for(message.variant, user)
    text, html = render_email("reengagement", user=user, subject=subject, digest=digest,
                              link=link, since=since,
                              unsubscribe=links.unsubscribe_url(user.id, KIND))
    return Outgoing(subject=subject, text=text, html=html,
                    headers=links.unsubscribe_headers(user.id, KIND))


def subject_for(variant: str, user: User) -> str:
    line = SUBJECTS.get(variant, SUBJECTS["a"])
    return line.format(site=current_app.config["SITE_NAME"], name=user.name)


def may_still_email(user: User) -> bool:
    """Consent, a verified address, no suspension, silence or bounce, checked again at
    send time: any of them may have changed since the person was chosen."""
    return (preferences.mode_of(user.id, KIND) == preferences.SUBSCRIBED
            and user.email_verified_at is not None and not user.is_suspended
            and not audience.silenced_user_ids([user.id])
            and not bounced_user_ids([user.id]))


def _absent_since(message: EmailMessage, user: User) -> datetime:
    stored = (message.data or {}).get("last_seen")
    if stored:
        return datetime.fromisoformat(stored)
    return user.last_seen_at or message.created_at
