"""What a notification email says: which preference each notification kind follows, one
line per notification, the subject and the reason line. Pure: plain values in, text out.

Lines are plain text; the HTML template escapes them, so a thread title can never
inject markup. Notifications arrive already folded (five answers on one thread are one
notification with count 5), so one line per notification is what keeps a busy thread to
a single line of a single email.
"""

from dataclasses import dataclass, field
from datetime import datetime

# Notification kind -> the email preference that decides about it. Kinds not listed
# (badges, levels, privileges, competitions) stay in-app only.
PREFERENCE_OF = {
    "answer": "answer",
    "reply": "reply",
    "mention": "mention",
    "accepted": "accepted",
    "bounty": "bounty",
    "membership": "membership",
    "payment_failed": "membership",
    "refund": "membership",
    "message": "message",
}

# How the reason line names each preference: "... to hear about <topic> right away."
TOPICS = {
    "answer": "answers to your questions",
    "reply": "replies to your posts",
    "mention": "mentions of you",
    "accepted": "your answers being accepted",
    "bounty": "bounties awarded to you",
    "membership": "your membership and payments",
    "message": "private messages",
}


@dataclass(frozen=True)
class Item:
    """One notification as the email sees it: `title` is the thread's, when it has one."""

    kind: str
    count: int = 1
    actor: str | None = None
    title: str | None = None
    data: dict = field(default_factory=dict)


def preferences_in(items: list[Item]) -> list[str]:
    """The preferences an email's items follow, each once, in the order they first appear."""
    return list(dict.fromkeys(PREFERENCE_OF[item.kind] for item in items))


def describe(item: Item) -> str:
    """One line: "5 new answers on “Reading files lazily”", "Ada mentioned you in ..."."""
    who = item.actor or "Someone"
    title = f"“{item.title}”"
    data = item.data or {}
    many = item.count > 1
    if item.kind == "answer":
        return (f"{item.count} new answers on {title}" if many
                else f"{who} answered your question {title}")
    if item.kind == "reply":
        return (f"{item.count} new replies to your posts in {title}" if many
                else f"{who} replied to your post in {title}")
    if item.kind == "mention":
        return (f"You were mentioned {item.count} times in {title}" if many
                else f"{who} mentioned you in {title}")
    if item.kind == "accepted":
        return f"{who} accepted your answer to {title}"
    if item.kind == "bounty":
        if data.get("automatic"):
            return f"The +{data.get('amount')} bounty on {title} went to your answer"
        return f"{who} awarded you a +{data.get('amount')} bounty on {title}"
    if item.kind == "message":
        return _message_line(item)
    if item.kind == "payment_failed":
        grace = _day(data.get("grace_ends"))
        return ("Your membership payment failed: update your card"
                + (f" before {grace}" if grace else "") + " to keep your access")
    if item.kind == "refund":
        amount = (data.get("amount") or 0) / 100
        return (f"A payment of {amount:.2f} {(data.get('currency') or '').upper()} was refunded;"
                " decide about access in the billing log")
    if item.kind == "membership":
        return _membership_line(data)
    return "There is news about your membership"


def _message_line(item: Item) -> str:
    """Who wrote and the conversation's subject, never the message itself: an email can
    be read over a shoulder or forwarded, the conversation only by its people."""
    topic = (item.data or {}).get("subject")
    if item.count > 1:
        where = f"“{topic}”" if topic else "a conversation"
        latest = f", the latest from {item.actor}" if item.actor else ""
        return f"{item.count} new private messages in {where}{latest}"
    said = f"{item.actor or 'Someone'} sent you a private message"
    return f"{said}: “{topic}”" if topic else said


def _membership_line(data: dict) -> str:
    """The latest news of a membership line (`news`; older rows said `started`)."""
    news = data.get("news") or ("started" if data.get("started") else None)
    if news == "started":
        return "Welcome, member! Member-only courses, categories and competitions are open to you"
    if news == "renewed":
        amount = (data.get("amount") or 0) / 100
        return (f"Your membership renewed: {amount:.2f} {(data.get('currency') or '').upper()}"
                " paid. Thank you!")
    if news == "ending":
        day = _day(data.get("ends"))
        return ("Your membership is cancelled and ends" + (f" on {day}" if day else " soon")
                + "; you can resume it until then")
    if news == "ended":
        return "Your membership has ended; member-only courses and categories are closed to you"
    return "There is news about your membership"


def subject(lines: list[str], *, summary: bool, site_name: str) -> str:
    """A single line is its own subject; several say how many, led by the newest."""
    if summary:
        count = len(lines)
        return f"Your {site_name} summary: {count} new notification{'s' if count > 1 else ''}"
    if len(lines) == 1:
        return lines[0]
    return f"{lines[0]} (and {len(lines) - 1} more)"


def reason(preferences: list[str], *, summary: bool) -> str:
    """Why this email came: the choices the person made, in their words."""
    topics = _join([TOPICS[pref] for pref in preferences])
    if summary:
        return f"You are getting this because you chose a daily summary of {topics}."
    return f"You are getting this because you chose to hear about {topics} right away."


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _day(iso: str | None) -> str | None:
    """'2026-03-04T10:00:00' -> '4 March 2026'; None for a missing or malformed value."""
    try:
        return f"{datetime.fromisoformat(iso):%-d %B %Y}" if iso else None
    except (TypeError, ValueError):
        return None
