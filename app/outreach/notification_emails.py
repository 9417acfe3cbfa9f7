"""Email people about their notifications: right away (every few minutes) or in a daily
summary, as each person chose per kind, one email covering everything new.

Both jobs work the same way. They read unread notifications of the emailed kinds that
changed since the newest one the person's previous email of the same campaign covered
(its `data["until"]`), keep those the person wants in this campaign's mode and may
still see, and write one pending `EmailMessage` per person listing the notification ids;
then `sending.deliver` sends every pending row of the campaign. Rendering looks again at
send time, so what was read, hidden or switched off in between is left out (and a row
left with nothing is skipped).

A private message is emailed as its sender and the conversation's subject, never its
body; it is left out once its conversation has been read (opening the conversation does
not mark the notification read, so this asks the conversation) or its sender blocked.

Idempotency: the immediate email's period is the newest change it covers (time and id),
the summary's is the day, and the (user, campaign, period) key is unique, so a re-run
writes nothing new and `deliver` never sends a row twice. A notification that folds in
more news later (a sixth answer) changes again, so it comes back in the next email as
"6 new answers". Notifications are read only once they are SETTLE old, because their
time is the event's and the transaction that writes them commits a moment later; a
window that stopped at "now" could pass over one that was still being written.

An email's `kind` (and its List-Unsubscribe header) is the preference of its newest
notification, the news that set it off; the footer has a turn-off link for every kind
in the email and the preferences page.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.forum import permissions
from app.forum.models import Post, Thread
from app.messages.services import still_news
from app.notifications.models import Notification
from app.notifications.services import thread_id_of
from app.notifications.views import notification_url
from app.outreach import preferences
from app.outreach.links import tracked_url, unsubscribe_headers, unsubscribe_url
from app.outreach.mailer import render_email
from app.outreach.models import EmailMessage
from app.outreach.notification_wording import (
    PREFERENCE_OF,
    TOPICS,
    Item,
    describe,
    preferences_in,
    reason,
    subject,
)
from app.outreach.sending import Outgoing, bounced_user_ids, deliver, pending_ids

NOTIFY, SUMMARY = "notify", "summary"
MODE_OF = {NOTIFY: preferences.IMMEDIATELY, SUMMARY: preferences.DAILY}
LOOKBACK = timedelta(days=1)      # older unread news is not worth an email any more
SETTLE = timedelta(minutes=1)     # see the module docstring
MAX_LINES = 30                    # the rest is "and N more" with a link to the list
USER_BATCH = 500


def send_immediate_emails(*, now: datetime, track: Callable[[Iterable], Iterable] = iter
                          ) -> dict[str, int]:
    """The every-few-minutes job: one email per person with news they want right away."""
    return _queue_and_send(NOTIFY, now, track)


def send_daily_summaries(*, now: datetime, track: Callable[[Iterable], Iterable] = iter
                         ) -> dict[str, int]:
    """The daily job: one summary per person of the last day's news they want daily."""
    return _queue_and_send(SUMMARY, now, track)


def render_notification_email(row: EmailMessage, user: User) -> Outgoing | None:
    """The email for a queued row, from what is still unread, wanted and visible now."""
    if not _may_email(user, bounced_user_ids([user.id])):
        return None
    mode = MODE_OF[row.campaign]
    modes = preferences.modes_of(user.id)
    notes = [note for note in db.session.scalars(
        select(Notification).where(Notification.id.in_(row.data.get("notifications") or []),
                                   Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .options(joinedload(Notification.actor))
        .order_by(Notification.updated_at.desc(), Notification.id.desc()))
        if modes[PREFERENCE_OF[note.kind]] == mode]
    about = _subjects_of(notes)
    notes = [note for note in notes if _may_see(user, note, about)]
    if not notes:
        return None
    return _compose(row, user, notes, about.threads)


def _may_email(user: User | None, bounced: set[int]) -> bool:
    """Only live, verified, unsuspended accounts whose address has not bounced."""
    return (user is not None and not user.is_deleted and user.email_verified_at is not None
            and not user.is_suspended and user.id not in bounced)


def _queue_and_send(campaign: str, now: datetime, track) -> dict[str, int]:
    queued = _queue(campaign, now)
    delivery = deliver(pending_ids(campaign), render_notification_email, track=track)
    return {"queued": queued, **delivery.as_counts()}


def _queue(campaign: str, now: datetime) -> int:
    """Write the pending rows of one run, a batch of people at a time; commits."""
    until = now - SETTLE
    since = until - LOOKBACK
    user_ids = list(db.session.scalars(
        _unread_between(since, until).with_only_columns(Notification.user_id).distinct()
        .order_by(Notification.user_id)))
    queued = 0
    for batch in _chunks(user_ids, USER_BATCH):
        rows = _messages_for(campaign, batch, since, until, now)
        db.session.add_all(rows)
        db.session.commit()
        queued += len(rows)
    return queued


def _messages_for(campaign: str, user_ids: list[int], since: datetime, until: datetime,
                  now: datetime) -> list[EmailMessage]:
    news: dict[int, list[Notification]] = defaultdict(list)
    for note in db.session.scalars(
            _unread_between(since, until).where(Notification.user_id.in_(user_ids))
            .order_by(Notification.updated_at.desc(), Notification.id.desc())):
        news[note.user_id].append(note)
    wanted = _wanting(MODE_OF[campaign], news)
    bounced = bounced_user_ids(news)
    users = {user.id: user
             for user in db.session.scalars(select(User).where(User.id.in_(list(news))))
             if _may_email(user, bounced)}
    covered = _covered_until(campaign, users)
    about = _subjects_of([note for notes in news.values() for note in notes])
    rows = []
    for user_id, user in users.items():
        notes = [note for note in news[user_id]
                 if user_id in wanted[PREFERENCE_OF[note.kind]]
                 and note.updated_at > covered.get(user_id, since)
                 and _may_see(user, note, about)]
        if notes:
            rows.append(_message(campaign, user_id, notes, now))
    taken = _taken(campaign, rows)
    return [row for row in rows if (row.user_id, row.period) not in taken]


def _unread_between(since: datetime, until: datetime):
    return select(Notification).where(
        Notification.kind.in_(PREFERENCE_OF), Notification.read_at.is_(None),
        Notification.updated_at > since, Notification.updated_at <= until)


def _wanting(mode: str, news: dict[int, list[Notification]]) -> dict[str, set[int]]:
    """Per preference, the people with news of it who chose `mode`: one query each."""
    having: dict[str, set[int]] = defaultdict(set)
    for user_id, notes in news.items():
        for note in notes:
            having[PREFERENCE_OF[note.kind]].add(user_id)
    wanted: dict[str, set[int]] = defaultdict(set)
    for pref, user_ids in having.items():
        wanted[pref] = preferences.users_with_mode(pref, mode, user_ids)
    return wanted


def _covered_until(campaign: str, user_ids) -> dict[int, datetime]:
    """The newest change each person's latest email of `campaign` covered."""
    ids = list(user_ids)
    if not ids:
        return {}
    latest = (select(func.max(EmailMessage.id))
              .where(EmailMessage.campaign == campaign, EmailMessage.user_id.in_(ids))
              .group_by(EmailMessage.user_id))
    rows = db.session.execute(
        select(EmailMessage.user_id, EmailMessage.data).where(EmailMessage.id.in_(latest)))
    return {user_id: datetime.fromisoformat(data["until"])
            for user_id, data in rows if (data or {}).get("until")}


@dataclass(frozen=True)
class _Subjects:
    """What a batch of notifications is about, loaded once for all of them."""

    threads: dict[int, Thread]      # with their categories
    posts: dict[int, Post]
    messages: set[int]              # the private-message notifications still news


def _subjects_of(notes: list[Notification]) -> _Subjects:
    """The threads and posts the notifications name (two queries) and which message
    notifications are still news (two more, only when there are any)."""
    thread_ids = {thread_id_of(note) for note in notes} - {None}
    post_ids = {(note.data or {}).get("post_id") for note in notes} - {None}
    threads = {thread.id: thread for thread in db.session.scalars(
        select(Thread).where(Thread.id.in_(thread_ids)).options(joinedload(Thread.category))
    )} if thread_ids else {}
    posts = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids)))} if post_ids else {}
    said = {note.id: _conversation_news(note) for note in notes if note.kind == "message"}
    live = still_news(set(said.values()))
    return _Subjects(threads, posts, {note_id for note_id, news in said.items() if news in live})


def _conversation_news(note: Notification) -> tuple[int, int, int | None]:
    return note.user_id, (note.data or {}).get("conversation_id"), note.actor_id


def _may_see(user: User, note: Notification, about: _Subjects) -> bool:
    """Forum news only about a live thread the person may read now, and a live post;
    a private message only while its conversation is unread and its sender unblocked;
    membership news is about the person themselves."""
    if note.kind == "message":
        return note.id in about.messages
    thread_id = thread_id_of(note)
    if thread_id is None:
        return True
    thread = about.threads.get(thread_id)
    post_id = (note.data or {}).get("post_id")
    post = about.posts.get(post_id) if post_id else None
    return (thread is not None and not thread.is_deleted
            and permissions.can_view_thread(user, thread)
            and (post_id is None or (post is not None and not post.is_deleted)))


def _message(campaign: str, user_id: int, notes: list[Notification],
             now: datetime) -> EmailMessage:
    """A pending row for `notes` (newest first), keyed as the module docstring says."""
    newest = notes[0]
    period = (now.date().isoformat() if campaign == SUMMARY
              else f"{newest.updated_at:%Y%m%dT%H%M%S.%f}-{max(n.id for n in notes)}")
    return EmailMessage(
        user_id=user_id, kind=PREFERENCE_OF[newest.kind], campaign=campaign, period=period,
        data={"notifications": [note.id for note in notes],
              "until": newest.updated_at.isoformat()})


def _taken(campaign: str, rows: list[EmailMessage]) -> set[tuple[int, str]]:
    """Keys already in the log (a re-run of the same day's summary)."""
    if not rows:
        return set()
    return {(user_id, period) for user_id, period in db.session.execute(
        select(EmailMessage.user_id, EmailMessage.period).where(
            EmailMessage.campaign == campaign,
            EmailMessage.user_id.in_({row.user_id for row in rows}),
            EmailMessage.period.in_({row.period for row in rows})))}


def _compose(row: EmailMessage, user: User, notes: list[Notification],
             threads: dict[int, Thread]) -> Outgoing:
    summary = row.campaign == SUMMARY
    items = [Item(kind=note.kind, count=note.count, actor=note.actor.name if note.actor else None,
                  title=_title(note, threads), data=note.data or {}) for note in notes]
    texts = [describe(item) for item in items]
    lines = [{"text": text, "url": tracked_url(row.id, _path(notification_url(note)))}
             for text, note in zip(texts[:MAX_LINES], notes, strict=False)]
    kinds = preferences_in(items)
    text, html = render_email(
        "notifications", user=user, lines=lines, more=len(texts) - len(lines), summary=summary,
        reason=reason(kinds, summary=summary),
        notifications_url=tracked_url(row.id, _path(url_for("notifications.index"))),
        preferences_url=tracked_url(row.id, _path(url_for("outreach.preferences_page"))),
        stops=[{"topic": TOPICS[kind], "url": unsubscribe_url(user.id, kind)} for kind in kinds])
    return Outgoing(
        subject=subject(texts, summary=summary, site_name=current_app.config["SITE_NAME"]),
        text=text, html=html, headers=unsubscribe_headers(user.id, PREFERENCE_OF[notes[0].kind]))


def _title(note: Notification, threads: dict[int, Thread]) -> str | None:
    thread_id = thread_id_of(note)
    return threads[thread_id].title if thread_id else None


def _path(url: str) -> str:
    """The path of a URL that url_for made absolute (it does outside a request): tracked
    links only ever carry a path on this site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _chunks(ids: list[int], size: int):
    it = iter(ids)
    return iter(lambda: list(islice(it, size)), [])
