"""Read the event log into an engagement `History`: counts aggregated per (user, type, day)
in SQL, streamed in batches and folded into sparse matrices."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import and_, func, or_, select

from app.accounts.models import User
from app.database import as_date, day_of
from app.extensions import db
from app.forum.models import Post
from app.insights import engagement_rules as rules
from app.insights.engagement import CHANNELS, History
from app.insights.models import Event

BATCH = 10_000

# Event type -> (channel index, weight). Every activity type also lands in "active".
_ACTIONS = {
    type: (CHANNELS.index(channel), weight)
    for channel, weights in (("contribution", rules.CONTRIBUTION), ("learning", rules.LEARNING),
                             ("competing", rules.COMPETING))
    for type, weight in weights.items()
}
_ACTIVE = CHANNELS.index("active")
_RECEPTION = CHANNELS.index("reception")


@dataclass(frozen=True)
class Members:
    """The users a run scores: not deleted, not opted out of personalisation."""

    ids: np.ndarray  # sorted
    account_age_days: np.ndarray


def load_members(as_of: datetime) -> Members:
    stmt = (
        select(User.id, User.created_at)
        .where(User.deleted_at.is_(None), User.personalise.is_(True), User.created_at <= as_of)
        .order_by(User.id)
    )
    ids, ages = [], []
    for part in db.session.execute(stmt.execution_options(yield_per=BATCH)).partitions():
        ids.extend(row.id for row in part)
        ages.extend((as_of - row.created_at).total_seconds() / 86_400 for row in part)
    return Members(np.array(ids, dtype=np.int64), np.array(ages, dtype=np.float64))


def load_history(members: Members, as_of: datetime, progress=None) -> History:
    """`WINDOW_DAYS` of activity, actions and reception before `as_of`, day 0 being its date."""
    today = as_of.date()
    start = datetime.combine(today - timedelta(days=rules.WINDOW_DAYS - 1), time())
    chunks = []
    queries = (("events", _own_events(start, as_of)), ("reception", _received(start, as_of)))
    for label, stmt in queries:
        parts = db.session.execute(stmt.execution_options(yield_per=BATCH)).partitions()
        for part in _track(progress, parts, label):
            chunks.append(_fold(part, members.ids, today, receiving=label == "reception"))
    user, age, channel, amount = (np.concatenate(c) for c in zip(*chunks, strict=True)) \
        if chunks else _empty()
    return History.from_counts(len(members.ids), rules.WINDOW_DAYS, user, age, channel, amount)


def _own_events(start: datetime, end: datetime):
    day = day_of(Event.created_at)
    return (
        select(Event.user_id, Event.type, day, func.count())
        .where(Event.created_at >= start, Event.created_at < end, Event.user_id.is_not(None),
               Event.type.not_in(sorted(rules.NOT_ACTIVITY)))
        .group_by(Event.user_id, Event.type, day)
    )


def _received(start: datetime, end: datetime):
    """Upvotes and accepts on a user's posts, credited to the post's author (the event's
    user is the voter); voting on or accepting one's own post earns nothing."""
    day = day_of(Event.created_at)
    return (
        select(Post.author_id, Event.type, day, func.count())
        .join(Post, and_(Event.subject_type == "post", Post.id == Event.subject_id))
        .where(Event.created_at >= start, Event.created_at < end,
               Event.type.in_(rules.RECEPTION),
               Post.author_id != Event.user_id,
               or_(Event.type == "accept", Event.data["value"].as_integer() == 1))
        .group_by(Post.author_id, Event.type, day)
    )


def _fold(rows, member_ids: np.ndarray, today: date, *, receiving: bool):
    """(user index, age, channel, amount) arrays for one batch; non-members dropped.

    Vectorised over the batch: types and days are looked up once per distinct value.
    """
    if not rows:
        return _empty()
    user_ids, types, days, counts = (np.array(column) for column in zip(*rows, strict=True))
    distinct_days, day_index = np.unique(days, return_inverse=True)
    ages = np.array([(today - as_date(day)).days for day in distinct_days])[day_index]
    distinct_types, type_of = np.unique(types, return_inverse=True)
    counts = counts.astype(np.float64)
    index = np.searchsorted(member_ids, user_ids)
    known = index < len(member_ids)
    known[known] = member_ids[index[known]] == user_ids[known]
    if receiving:
        amounts = np.array([rules.RECEPTION[t] for t in distinct_types])[type_of] * counts
        return index[known], ages[known], np.full(known.sum(), _RECEPTION), amounts[known]
    actions = [_ACTIONS.get(t, (-1, 0.0)) for t in distinct_types]
    channel = np.array([c for c, _ in actions], np.int64)[type_of]
    amounts = np.array([w for _, w in actions])[type_of] * counts
    acting = known & (channel >= 0)
    return (np.concatenate([index[known], index[acting]]),
            np.concatenate([ages[known], ages[acting]]),
            np.concatenate([np.full(known.sum(), _ACTIVE), channel[acting]]),
            np.concatenate([counts[known], amounts[acting]]))


def _empty():
    return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)


def _track(progress, items: Iterable, label: str) -> Iterable:
    return progress.track(items, label=label) if progress is not None else items
