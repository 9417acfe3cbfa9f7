"""Moderators' actions on a person: warn, silence, suspend, delete their posts, anonymise,
and end a silence or a suspension early.

`take_action` is the one entry point: it checks who may act on whom, that there is a
reason and (for silence and suspension) a period, writes the change with its audit
entry and an in-app notice in one transaction, commits, and then emails the person.
Silence and suspension store an end time and simply run out: nothing has to lift them,
but a moderator may (an appeal heard, a mistake), and only while they last.

A warning is an in-app notice, an email, and a private message from the moderator, so
the member can answer it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts import deletion
from app.accounts.emails import send_account_email
from app.accounts.models import User
from app.accounts.rules import username_key
from app.competitions.lifecycle import when
from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.messages.services import deliver_warning
from app.moderation.audit import log_action
from app.moderation.permissions import can_act_on
from app.notifications.services import notify
from app.timeutil import utcnow

MAX_DAYS = 365
MAX_REASON_LENGTH = 1000


@dataclass(frozen=True)
class Action:
    name: str          # the audit log's action, e.g. "silence_user"
    label: str         # the button: "Silence"
    subject: str       # the email's subject after "Your account: "
    needs_period: bool
    ends: str | None = None  # the state it ends early ("silenced"): offered only while it lasts


ACTIONS = {
    "warn": Action("warn_user", "Warn", "a warning from the moderators", False),
    "silence": Action("silence_user", "Silence", "silenced", True),
    "suspend": Action("suspend_user", "Suspend", "suspended", True),
    "delete_posts": Action("delete_user_posts", "Delete all posts", "your posts were removed",
                           False),
    "anonymise": Action("anonymise_user", "Anonymise", "anonymised", False),
    "unsilence": Action("unsilence_user", "End silence", "no longer silenced", False,
                        ends="silenced"),
    "unsuspend": Action("unsuspend_user", "End suspension", "no longer suspended", False,
                        ends="suspended"),
}


@dataclass(frozen=True)
class Done:
    user: User
    action: str
    until: datetime | None
    email_sent: bool

    @property
    def summary(self) -> str:
        label = ACTIONS[self.action].label.lower()
        until = f" until {when(self.until)}" if self.until else ""
        mailed = "" if self.email_sent else " (the email could not be sent)"
        return f"Done: {label}{until}.{mailed}"


def take_action(actor, target: User, action: str, *, reason: str,
                days: int | None = None) -> Done:
    """Check, apply, log, notify and commit one action on `target`, then email them.

    The address is read before the change, so an anonymised person still hears why.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise ValidationError("action", "Choose an action.")
    if not can_act_on(actor, target):
        raise PermissionDenied("You cannot take moderation actions on this account.")
    if not is_offered(action, target):
        raise Conflict(f"{target.name} is not {spec.ends}, so there is nothing to end.")
    reason = clean_reason(reason)
    until = utcnow() + period(days) if spec.needs_period else None
    address, name = target.email, target.name
    until_text = when(until) if until else None
    before, after = _APPLY[action](actor, target, until)
    log_action(actor, spec.name, target=target, target_user=target, reason=reason,
               before=before, after=after)
    if action == "warn":
        deliver_warning(actor, target, reason)
    if action != "anonymise":  # the account is closed: nobody would read it
        notify(target.id, "moderation", actor_id=actor.id,
               data={"action": action, "reason": reason,
                     "until": until_text, **after})
    db.session.commit()
    sent = send_account_email(
        target, f"Your {current_app.config['SITE_NAME']} account: {spec.subject}",
        "moderation_notice", to=address, name=name, action=action, reason=reason,
        until=until_text, removed=after.get("posts_removed"))
    return Done(user=target, action=action, until=until, email_sent=sent)


def is_offered(action: str, target: User) -> bool:
    """Whether `action` makes sense on `target` now: ending a silence or a suspension
    only while it lasts (both run out by the clock, so the stored end time alone says
    nothing)."""
    ends = ACTIONS[action].ends
    return ends is None or getattr(target, f"is_{ends}")


def member_named(username: str) -> User | None:
    """Anyone by username, closed accounts too: their history stays readable."""
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "Give a reason: the member reads it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError("reason", f"Keep the reason to {MAX_REASON_LENGTH} characters.")
    return reason


def period(days: int | None) -> timedelta:
    if days is None or not 1 <= days <= MAX_DAYS:
        raise ValidationError("days", f"Choose a period of 1 to {MAX_DAYS} days.")
    return timedelta(days=days)


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat(sep=" ", timespec="minutes") if moment else None


def _warn(actor, target: User, until) -> tuple[dict, dict]:
    return {}, {}


def _change(target: User, column: str, value: datetime | None) -> tuple[dict, dict]:
    """Set one end-time column; the audit's before and after."""
    before = {column: _stamp(getattr(target, column))}
    setattr(target, column, value)
    return before, {column: _stamp(value)}


def _silence(actor, target: User, until: datetime) -> tuple[dict, dict]:
    return _change(target, "silenced_until", until)


def _suspend(actor, target: User, until: datetime) -> tuple[dict, dict]:
    """The session loader refuses a suspended account, so open sessions end too."""
    return _change(target, "suspended_until", until)


def _unsilence(actor, target: User, until) -> tuple[dict, dict]:
    return _change(target, "silenced_until", None)


def _unsuspend(actor, target: User, until) -> tuple[dict, dict]:
    return _change(target, "suspended_until", None)


def _delete_posts(actor, target: User, until) -> tuple[dict, dict]:
    """As if they had deleted each post themselves (counts and search follow), but
    marked as deleted by the moderator, who can undelete any of them."""
    removed = deletion.remove_content(target, utcnow(), deleted_by=actor)
    return {}, {"posts_removed": removed}


def _anonymise(actor, target: User, until) -> tuple[dict, dict]:
    """Content stays; the name, address and login go. The log keeps the id, not the name."""
    deletion.anonymise(target, utcnow())
    return {"anonymised": False}, {"anonymised": True}


_APPLY: dict[str, Callable[[object, User, datetime | None], tuple[dict, dict]]] = {
    "warn": _warn, "silence": _silence, "suspend": _suspend,
    "delete_posts": _delete_posts, "anonymise": _anonymise,
    "unsilence": _unsilence, "unsuspend": _unsuspend,
}
