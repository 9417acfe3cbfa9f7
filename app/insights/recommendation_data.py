"""What the recommender is fitted on, read from the database in a few aggregate queries.

Interactions come from the event log (grouped per user, item and kind in SQL, so millions
of events arrive as far fewer rows); items and their text from the forum and courses.
People who are deleted or opted out of personalisation are left out entirely.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain

import numpy as np
from scipy import sparse
from sqlalchemy import and_, case, func, select

from app.accounts.models import Role, User
from app.billing import rules
from app.billing.models import Subscription
from app.courses.models import Course, Lesson, course_tags
from app.database import days_before
from app.extensions import db
from app.forum.models import Category, Post, Tag, Thread, thread_tags
from app.insights.models import Event
from app.insights.models.recommendations import UserInterest
from app.insights.recommend import ACTIONS, COURSE, THREAD, Catalogue, Interactions
from app.insights.recommend_content import item_text

ACTIVE_DAYS = 30          # an active user did something in this many days
CANDIDATE_DAYS = 30       # threads active this recently may be recommended...
POPULAR_EXTRA = 2_000     # ...and so may this many top-scored older ones
MAX_CANDIDATES = 30_000
BODY_CHARS = 600          # of a thread's opening post, for its TF-IDF text
CHUNK = 5_000

THREAD_SUBJECT = ("view", "ask")
POST_SUBJECT = ("answer", "reply", "vote", "accept")
COURSE_SUBJECT = ("course_enrolled", "course_completed")
LESSON_SUBJECT = ("lesson_viewed", "lesson_completed")


@dataclass(frozen=True)
class Dataset:
    catalogue: Catalogue
    interactions: Interactions
    user_ids: np.ndarray     # user index -> user id
    members: np.ndarray      # per user index: may open member-only items
    interests: sparse.csr_matrix
    tag_ids: np.ndarray      # tag index -> tag id

    def index_of_users(self, ids) -> np.ndarray:
        return np.searchsorted(self.user_ids, np.asarray(ids, dtype=np.int64))


def load(as_of: datetime, *, extra_users=()) -> Dataset:
    """Everything before `as_of`: interactions, the catalogue they and the candidates span,
    membership and interests. `extra_users` get a row even without interactions."""
    rows = interaction_rows(as_of)
    interest_rows = db.session.execute(select(UserInterest.user_id, UserInterest.tag_id)).all()
    user_ids = np.unique(np.concatenate((
        rows.user_ids, np.array([r[0] for r in interest_rows] + list(extra_users),
                                dtype=np.int64))))
    candidates = set(_candidate_threads(as_of))
    thread_ids = sorted(set(np.unique(rows.item_ids[rows.kinds == THREAD]).tolist()) | candidates)
    course_ids = sorted(set(np.unique(rows.item_ids[rows.kinds == COURSE]).tolist())
                        | set(db.session.scalars(select(Course.id).where(Course.published))))
    tag_ids = np.array(db.session.scalars(select(Tag.id).order_by(Tag.id)).all(), dtype=np.int64)
    catalogue = _catalogue(thread_ids, course_ids, tag_ids, candidates, as_of)
    items = np.where(rows.kinds == THREAD,
                     np.searchsorted(np.array(thread_ids, dtype=np.int64), rows.item_ids),
                     len(thread_ids) + np.searchsorted(np.array(course_ids, dtype=np.int64),
                                                       rows.item_ids))
    interactions = Interactions(
        users=np.searchsorted(user_ids, rows.user_ids), items=items.astype(np.int64),
        actions=rows.actions, counts=rows.counts, age_days=rows.age_days)
    interests = sparse.csr_matrix(
        (np.ones(len(interest_rows), dtype=np.float32),
         (np.searchsorted(user_ids, [r[0] for r in interest_rows]),
          np.searchsorted(tag_ids, [r[1] for r in interest_rows]))),
        shape=(len(user_ids), len(tag_ids)))
    members = np.isin(user_ids, np.array(sorted(member_ids(as_of)), dtype=np.int64))
    return Dataset(catalogue, interactions, user_ids, members, interests, tag_ids)


def active_user_ids(as_of: datetime) -> list[int]:
    """Did anything in the last ACTIVE_DAYS, not deleted, not opted out."""
    return list(db.session.scalars(
        select(Event.user_id).distinct()
        .join(User, User.id == Event.user_id)
        .where(Event.created_at >= as_of - timedelta(days=ACTIVE_DAYS), Event.created_at < as_of,
               User.deleted_at.is_(None), User.personalise.is_(True))
    ))


def member_ids(as_of: datetime) -> set[int]:
    """Who may open member-only threads: staff, and paying members (the billing rule)."""
    staff = set(db.session.scalars(
        select(User.id).where(User.role.in_((Role.MODERATOR, Role.ADMIN)))))
    subscriptions = db.session.execute(select(
        Subscription.user_id, Subscription.status, Subscription.current_period_end,
        Subscription.past_due_since))
    return staff | {user_id for user_id, *state in subscriptions
                    if rules.has_access(*state, as_of)}


def _people():
    return and_(User.id == Event.user_id, User.deleted_at.is_(None), User.personalise.is_(True))


@dataclass(frozen=True)
class InteractionRows:
    """Per user, item and action: how often, and how long before `as_of` the latest one
    was; parallel arrays, since a large community has millions of them."""

    user_ids: np.ndarray
    kinds: np.ndarray      # THREAD or COURSE
    item_ids: np.ndarray   # id within its kind
    actions: np.ndarray    # index into ACTIONS
    counts: np.ndarray
    age_days: np.ndarray


def interaction_rows(as_of: datetime, since: datetime | None = None) -> InteractionRows:
    """Events before `as_of` (and from `since`) grouped per user, item and action, on items
    that still exist. The database counts and computes the ages, and rows arrive through
    Core as plain numbers: no ORM rows, no datetimes."""
    queries = (
        (THREAD, Event.subject_id, None, THREAD_SUBJECT),
        (THREAD, Post.thread_id, (Post, Post.id == Event.subject_id), POST_SUBJECT),
        (COURSE, Event.subject_id, None, COURSE_SUBJECT),
        (COURSE, Lesson.course_id, (Lesson, Lesson.id == Event.subject_id), LESSON_SUBJECT),
    )
    action = case({name: code for code, name in enumerate(ACTIONS)}, value=Event.type)
    connection = db.session.connection()
    parts = []
    for kind, item, join, types in queries:
        stmt = select(Event.user_id, item, action, func.count(),
                      days_before(as_of, func.max(Event.created_at))).join(User, _people())
        if join is not None:
            stmt = stmt.join(*join)
        if since is not None:
            stmt = stmt.where(Event.created_at >= since)
        stmt = stmt.where(Event.type.in_(types), Event.created_at < as_of,
                          Event.subject_id.is_not(None)) \
            .group_by(Event.user_id, item, Event.type)
        for chunk in connection.execute(stmt.execution_options(yield_per=50_000)).partitions():
            values = np.fromiter(chain.from_iterable(chunk), dtype=np.float64,
                                 count=5 * len(chunk)).reshape(-1, 5)
            parts.append(np.column_stack((np.full(len(values), kind), values)))
    table = np.concatenate(parts) if parts else np.zeros((0, 6))
    kinds, item_ids = table[:, 0].astype(np.int8), table[:, 2].astype(np.int64)
    live = np.zeros(len(table), dtype=bool)
    for kind, model in ((THREAD, Thread), (COURSE, Course)):
        of_kind = kinds == kind
        existing = _existing(model, set(np.unique(item_ids[of_kind]).tolist()))
        live |= of_kind & np.isin(item_ids, np.array(existing, dtype=np.int64))
    table, kinds, item_ids = table[live], kinds[live], item_ids[live]
    return InteractionRows(
        user_ids=table[:, 1].astype(np.int64), kinds=kinds, item_ids=item_ids,
        actions=table[:, 3].astype(np.int64), counts=table[:, 4].astype(np.float32),
        age_days=np.maximum(table[:, 5], 0.0).astype(np.float32))


def _existing(model, ids: set[int]) -> list[int]:
    """Ids still in the table (events outlive hard-deleted rows)."""
    ordered = sorted(ids)
    found = []
    for start in range(0, len(ordered), CHUNK):
        found += db.session.scalars(
            select(model.id).where(model.id.in_(ordered[start:start + CHUNK]))).all()
    return found


def _open_threads(as_of: datetime):
    return (Thread.deleted_at.is_(None), Thread.closed_at.is_(None),
            Thread.created_at < as_of)


def _candidate_threads(as_of: datetime) -> list[int]:
    """Live, open threads active lately, plus the best-scored older ones."""
    recent = db.session.scalars(
        select(Thread.id).where(*_open_threads(as_of),
                                Thread.last_activity_at >= as_of - timedelta(days=CANDIDATE_DAYS))
        .order_by(Thread.last_activity_at.desc()).limit(MAX_CANDIDATES - POPULAR_EXTRA)).all()
    top = db.session.scalars(
        select(Thread.id).where(*_open_threads(as_of))
        .order_by(Thread.score.desc(), Thread.id.desc()).limit(POPULAR_EXTRA)).all()
    return list(set(recent) | set(top))


def _catalogue(thread_ids: list[int], course_ids: list[int], tag_ids: np.ndarray,
               candidates: set[int], as_of: datetime) -> Catalogue:
    tag_names = dict(db.session.execute(select(Tag.id, Tag.name)).all())
    thread_rows, thread_tag_rows = {}, []
    for start in range(0, len(thread_ids), CHUNK):
        chunk = thread_ids[start:start + CHUNK]
        thread_rows.update((r[0], r) for r in db.session.execute(
            select(Thread.id, Thread.title, func.substr(Post.body, 1, BODY_CHARS),
                   Category.member_only, Thread.last_activity_at, Thread.deleted_at,
                   Thread.closed_at, Thread.created_at)
            .join(Category, Category.id == Thread.category_id)
            .outerjoin(Post, and_(Post.thread_id == Thread.id, Post.is_first.is_(True),
                                  Post.hidden_at.is_(None)))  # a hidden body says nothing
            .where(Thread.id.in_(chunk))))
        thread_tag_rows += db.session.execute(
            select(thread_tags.c.thread_id, thread_tags.c.tag_id)
            .where(thread_tags.c.thread_id.in_(chunk))).all()
    course_rows = {r[0]: r for r in db.session.execute(
        select(Course.id, Course.title, Course.summary, Course.description, Course.member_only,
               Course.updated_at, Course.published).where(Course.id.in_(course_ids)))}
    course_tag_rows = db.session.execute(select(course_tags.c.course_id, course_tags.c.tag_id)
                                         .where(course_tags.c.course_id.in_(course_ids))).all()
    item_tags: dict[tuple[int, int], list[int]] = {}
    for thread_id, tag_id in thread_tag_rows:
        item_tags.setdefault((THREAD, thread_id), []).append(tag_id)
    for course_id, tag_id in course_tag_rows:
        item_tags.setdefault((COURSE, course_id), []).append(tag_id)

    titles, texts, candidate, member_only, ages, tag_pairs = [], [], [], [], [], []
    for kind, ids in ((THREAD, thread_ids), (COURSE, course_ids)):
        for item_id in ids:
            tags = item_tags.get((kind, item_id), [])
            names = [tag_names[t] for t in tags]
            tag_pairs += [(len(titles), t) for t in tags]
            if kind == THREAD:
                _, title, body, locked, active, _, _, _ = thread_rows[item_id]
                texts.append(item_text(title, body or "", names))
                candidate.append(item_id in candidates)
                member_only.append(bool(locked))
            else:
                _, title, summary, description, _, active, published = course_rows[item_id]
                texts.append(item_text(title, f"{summary} {description[:BODY_CHARS]}", names))
                candidate.append(bool(published))
                member_only.append(False)  # its outline is the teaser; anyone may see it
            titles.append(title)
            ages.append(max((as_of - active).total_seconds() / 86400, 0.0))
    n = len(titles)
    pairs = np.array(tag_pairs, dtype=np.int64).reshape(-1, 2)
    return Catalogue(
        kinds=np.array([THREAD] * len(thread_ids) + [COURSE] * len(course_ids), dtype=np.int8),
        ids=np.array(thread_ids + course_ids, dtype=np.int64),
        titles=titles, texts=texts,
        tags=sparse.csr_matrix((np.ones(len(pairs), dtype=np.float32),
                                (pairs[:, 0], np.searchsorted(tag_ids, pairs[:, 1]))),
                               shape=(n, len(tag_ids))),
        tag_names=[tag_names[t] for t in tag_ids.tolist()],
        candidate=np.array(candidate, dtype=bool),
        member_only=np.array(member_only, dtype=bool),
        age_days=np.array(ages, dtype=np.float32),
    )
