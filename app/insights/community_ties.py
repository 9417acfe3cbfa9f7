"""Who worked with whom, read from the event log for the communities job.

Events are streamed in batches with their post and thread resolved by SQL joins, so no
history is loaded as ORM objects. Deleted posts and threads tie nobody; people who
deleted their account or turned personalisation off are left out altogether.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post, Thread, thread_tags
from app.insights.graph import interaction_weight, thread_ties
from app.insights.models import Event

WINDOW_DAYS = 180
BATCH = 10_000


@dataclass
class Participation:
    """Who took part in which thread (for thread ties and labels), and the events read."""

    # thread id -> {user id: age in days of their first part}, the asker first.
    threads: dict[int, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    events: int = 0


def read_ties(as_of: datetime, progress, found: Participation) -> Iterator[tuple[int, int, float]]:
    """Yield (user, user, weight) ties from the `WINDOW_DAYS` before `as_of`, filling `found`.

    Answers and replies tie to the post replied to, else to the asker; up-votes to the
    post's author; taking part in the same thread ties too (capped, see
    `graph.thread_ties`). Each fades with its age. A generator, so the caller sums ties
    as they come instead of holding one per event.
    """
    left_out = set(db.session.scalars(
        select(User.id).where(or_(User.deleted_at.is_not(None), User.personalise.is_(False)))
    ))
    for user_id, at, kind, thread_id, asker_id, parent_author_id in progress.track(
        _stream(_posts(as_of)), label="answers and replies"
    ):
        found.events += 1
        age = _age(as_of, at)
        target = parent_author_id or asker_id
        if user_id not in left_out and target not in left_out:
            yield user_id, target, interaction_weight(kind, age)
        people = found.threads[thread_id]
        _take_part(people, asker_id, age)
        _take_part(people, user_id, age)
    for user_id, at, author_id in progress.track(_stream(_up_votes(as_of)), label="votes"):
        found.events += 1
        if user_id not in left_out and author_id not in left_out:
            yield user_id, author_id, interaction_weight("vote", _age(as_of, at))
    for people in found.threads.values():
        asker, *others = people.items()
        arrivals = [asker, *sorted(others, key=lambda p: (-p[1], p[0]))]
        for a, b, weight in thread_ties(arrivals):
            if a not in left_out and b not in left_out:
                yield a, b, weight


def thread_tag_ids(thread_ids) -> dict[int, list[int]]:
    """Tag ids of the given threads, streaming the thread-tag table once."""
    wanted = set(thread_ids)
    tags: dict[int, list[int]] = defaultdict(list)
    for thread_id, tag_id in _stream(select(thread_tags.c.thread_id, thread_tags.c.tag_id)):
        if thread_id in wanted:
            tags[thread_id].append(tag_id)
    return tags


def _posts(as_of: datetime):
    parent = aliased(Post)
    return (
        select(Event.user_id, Event.created_at, Event.type, Post.thread_id, Thread.author_id,
               parent.author_id)
        .join(Post, Post.id == Event.subject_id)
        .join(Thread, Thread.id == Post.thread_id)
        .outerjoin(parent, parent.id == Post.reply_to_id)
        .where(
            *_window(as_of, "answer", "reply"),
            Post.deleted_at.is_(None),
            Thread.deleted_at.is_(None),
        )
    )


def _up_votes(as_of: datetime):
    return (
        select(Event.user_id, Event.created_at, Post.author_id)
        .join(Post, Post.id == Event.subject_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            *_window(as_of, "vote"),
            Event.data["value"].as_integer() > 0,
            Post.deleted_at.is_(None),
            Thread.deleted_at.is_(None),
        )
    )


def _window(as_of: datetime, *types: str) -> tuple:
    return (
        Event.type.in_(types),
        Event.subject_type == "post",
        Event.user_id.is_not(None),
        Event.created_at >= as_of - timedelta(days=WINDOW_DAYS),
        Event.created_at < as_of,
    )


def _stream(stmt):
    return db.session.execute(stmt.execution_options(yield_per=BATCH))


def _age(as_of: datetime, at: datetime) -> float:
    return (as_of - at).total_seconds() / 86_400


def _take_part(people: dict[int, float], user_id: int, age: float) -> None:
    """Keep each person's earliest part in a thread (the largest age)."""
    people[user_id] = max(people.get(user_id, age), age)
