"""Awarding badges: event handlers for badges earned by an action, and the sweep.

The rules live in `app.gamification.badges`. Handlers measure the facts a rule reads
from the event, and run inside the transaction that recorded it, so a badge lands with
the vote or answer that earned it. The sweep measures them over stored data
(`app.gamification.badge_metrics`): what needs aggregates (views, tags, streaks) and
anything no event saw (imported or seeded history).

Idempotency: `BadgeAward.key` is unique (see `badges.award_key`). An award is inserted
in a savepoint, and the unique-key error of a concurrent twin (two sweeps, or a sweep
and a handler) is swallowed, so no badge is ever held twice and only the winner records
the `badge_awarded` event.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.database import insert_in_batches, subject_ref
from app.extensions import db
from app.forum.models import Post, Thread, ThreadKind
from app.forum.savepoint import insert_once
from app.gamification import badges as rules
from app.gamification.badge_metrics import candidates, source_for
from app.gamification.badges import BADGES_BY_SLUG, Badge, award_key, badges_earned
from app.gamification.models import ActivityDay, BadgeAward
from app.gamification.points import ACTIVE_EVENTS, local_day
from app.gamification.streaks import streak_ending
from app.insights.models import Event
from app.insights.services import record, record_history, subscribe
from app.timeutil import utcnow

SWEEP_BATCH = 500
LONGEST_STREAK_RULE = max(b.at_least[rules.STREAK_DAYS] for b in rules.badges_on(rules.STREAK_DAYS))


def award_badge(user_id: int, slug: str, *, subject=None, at: datetime | None = None
                ) -> BadgeAward | None:
    """Give `user_id` the badge `slug` (about `subject`, a model) unless they hold it.

    Runs in the caller's transaction and never commits. Returns the new award, or None
    when it was already held (or a concurrent twin won the unique key).
    """
    badge = BADGES_BY_SLUG.get(slug)
    if badge is None:
        raise ValueError(f"unknown badge {slug!r}")
    return _award_all(user_id, [badge], subject, at or utcnow()).get(slug)


def _award_all(user_id: int, earned: list[Badge], subject, at: datetime) -> dict[str, BadgeAward]:
    """Award each of `earned` not yet held; one query finds the ones already held."""
    if not earned:
        return {}
    subject_type, subject_id = subject_ref(subject)
    keys = {b.slug: award_key(b.slug, user_id, subject_type, subject_id) for b in earned}
    held = set(db.session.scalars(select(BadgeAward.key).where(BadgeAward.key.in_(keys.values()))))
    awarded = {}
    for badge in earned:
        if keys[badge.slug] not in held:
            row = _insert(user_id, badge, subject, keys[badge.slug], at)
            if row is not None:
                awarded[badge.slug] = row
    return awarded


def _insert(user_id: int, badge: Badge, subject, key: str, at: datetime) -> BadgeAward | None:
    subject_type, subject_id = subject_ref(subject)
    row = BadgeAward(user_id=user_id, badge=badge.slug, subject_type=subject_type,
                     subject_id=subject_id, key=key, awarded_at=at)
    if not insert_once(row):  # a concurrent twin holds the key: it was awarded, once
        return None
    record(
        "badge_awarded",
        user=user_id,
        subject=subject,
        data={"badge": badge.slug, "name": badge.display_name(getattr(subject, "name", None)),
              "tier": badge.tier},
        at=at,
    )
    return row


def award_imported_badges(awards: list[tuple[int, str, datetime]]) -> int:
    """Badges people earned on another site, as (user id, slug, when): the ones they do
    not hold yet, in bulk. Only once-per-person badges (an import cannot say which post
    a repeatable one was for). The `badge_awarded` events go into the history without
    their handlers, so nobody is notified of a badge from years ago. Returns how many
    were new; the caller commits."""
    keys = {}
    for user_id, slug, at in awards:
        if BADGES_BY_SLUG[slug].repeatable:
            raise ValueError(f"{slug!r} is earned per post; an import cannot award it")
        keys.setdefault(award_key(slug, user_id), (user_id, slug, at))
    held = set(db.session.scalars(select(BadgeAward.key).where(BadgeAward.key.in_(keys))))
    fresh = [(key, *award) for key, award in keys.items() if key not in held]
    insert_in_batches(BadgeAward, ({"user_id": user_id, "badge": slug, "key": key,
                                    "awarded_at": at} for key, user_id, slug, at in fresh))
    record_history({"type": "badge_awarded", "user_id": user_id, "created_at": at,
                    "data": {"badge": slug, "name": BADGES_BY_SLUG[slug].name,
                             "tier": BADGES_BY_SLUG[slug].tier}}
                   for _, user_id, slug, at in fresh)
    return len(fresh)


def _earn(user_id: int | None, facts: Mapping[str, int], subject, at: datetime) -> None:
    if user_id is not None:
        _award_all(user_id, badges_earned(facts), subject, at)


# -- badges earned by an action ----------------------------------------------------


@subscribe("vote")
def on_vote(event: Event) -> None:
    """The voter's first up- or downvote, and the score badges of the voted post."""
    post = db.session.get(Post, event.subject_id)
    if post is None:
        return
    cast_metric = rules.UPVOTES_CAST if event.data.get("value", 0) > 0 else rules.DOWNVOTES_CAST
    _earn(event.user_id, {cast_metric: 1}, post, event.created_at)
    _earn_post_badges(post, event.created_at)


@subscribe("accept")
def on_accept(event: Event) -> None:
    """The asker's first accept, and the accepted-answer badges of the answer."""
    post = db.session.get(Post, event.subject_id)
    if post is None:
        return
    _earn(event.user_id, {rules.ACCEPTS_GIVEN: 1}, post, event.created_at)
    _earn_post_badges(post, event.created_at)


def _earn_post_badges(post: Post, at: datetime) -> None:
    """Score badges of a question (about its thread) or an answer (about the post).

    The score is read from the database: the vote service moves it by an SQL
    expression, so the loaded object may be stale.
    """
    thread = post.thread
    if not thread.is_question:
        return
    score = db.session.scalar(select(Post.score).where(Post.id == post.id))
    if post.is_first:
        _earn(post.author_id, {rules.QUESTION_SCORE: score}, thread, at)
        return
    delay = post.created_at - thread.created_at
    facts = {
        rules.ANSWER_SCORE: score,
        rules.ANSWER_ACCEPTED: int(thread.accepted_post_id == post.id),
        rules.ANSWER_DELAY_DAYS: delay.days,
    }
    _earn(post.author_id, facts, post, at)


@subscribe("ask")
def on_ask(event: Event) -> None:
    if event.data.get("kind") == ThreadKind.QUESTION:
        thread = db.session.get(Thread, event.subject_id)
        _earn(event.user_id, {rules.QUESTIONS_ASKED: 1}, thread, event.created_at)


@subscribe("answer")
def on_answer(event: Event) -> None:
    post = db.session.get(Post, event.subject_id)
    _earn(event.user_id, {rules.ANSWERS_POSTED: 1}, post, event.created_at)


@subscribe("edit")
def on_edit(event: Event) -> None:
    post = db.session.get(Post, event.subject_id)
    _earn(event.user_id, {rules.EDITS: 1}, post, event.created_at)


@subscribe("profile_update")
def on_profile_update(event: Event) -> None:
    if "bio" not in event.data.get("changed", ()):
        return
    user = db.session.get(User, event.user_id) if event.user_id else None
    if user is not None:
        _earn(user.id, {rules.BIO_FILLED: int(bool(user.bio.strip()))}, None, event.created_at)


@subscribe(*ACTIVE_EVENTS)
def on_activity(event: Event) -> None:
    """Streak badges from the stored active days plus this event's own day, so the
    result does not depend on whether the points handler marked the day yet."""
    user = db.session.get(User, event.user_id) if event.user_id else None
    if user is None:
        return
    day = local_day(event.created_at, user.timezone)
    days = db.session.scalars(
        select(ActivityDay.day).where(
            ActivityDay.user_id == user.id,
            ActivityDay.day <= day,
            ActivityDay.day > day - timedelta(days=LONGEST_STREAK_RULE),
        )
    )
    _earn(user.id, {rules.STREAK_DAYS: streak_ending({*days, day}, day)}, None, event.created_at)


@subscribe("competition_entered")
def on_competition_entered(event: Event) -> None:
    _earn(event.user_id, {rules.COMPETITIONS_ENTERED: 1}, _event_subject(event), event.created_at)


@subscribe("competition_placed")
def on_competition_placed(event: Event) -> None:
    """Podium and win: `data.rank` is the final place (1 is the winner)."""
    rank = event.data.get("rank")
    if isinstance(rank, int) and rank >= 1:
        _earn(event.user_id, {rules.COMPETITION_RANK: rank}, _event_subject(event),
              event.created_at)


@subscribe("membership_started")
def on_membership_started(event: Event) -> None:
    _earn(event.user_id, {rules.MEMBERSHIPS: 1}, _event_subject(event), event.created_at)


@subscribe("course_completed")
def on_course_completed(event: Event) -> None:
    _earn(event.user_id, {rules.COURSES_COMPLETED: 1}, _event_subject(event), event.created_at)


def _event_subject(event: Event):
    """The event's subject as a model, found by its table name (later parts' tables too)."""
    if event.subject_type is None or event.subject_id is None:
        return None
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == event.subject_type:
            return db.session.get(mapper.class_, event.subject_id)
    return None


# -- the sweep ---------------------------------------------------------------------


def sweep_badges(now: datetime | None = None) -> dict[str, int]:
    """Award every badge whose rule the stored data now meets; returns awards per badge.

    For each badge one set-based query lists the next batch of (user, subject) pairs
    that meet its rule and lack its award key; the batch is awarded and committed, and
    the query runs again until nothing is left, so memory stays one batch whatever the
    backlog. Running it again awards nothing new. Two sweeps at once race only on the
    unique key and take candidates in the same order, so they never deadlock; a batch
    lost entirely to the other sweep means that sweep is ahead and will finish the rest.
    Badges earned only through events (competitions, membership, courses) are skipped.
    """
    now = now or utcnow()
    counts = {}
    for badge in rules.BADGES:
        source = source_for(badge)
        if source is None:
            continue
        stmt = candidates(badge, source).limit(SWEEP_BATCH)
        counts[badge.slug] = 0
        while batch := db.session.execute(stmt).all():
            subjects = _load(source.model, {subject_id for _, subject_id in batch})
            awarded = sum(
                _insert(user_id, badge, subjects.get(subject_id),
                        award_key(badge.slug, user_id, source.subject_type, subject_id),
                        now) is not None
                for user_id, subject_id in batch
            )
            db.session.commit()
            counts[badge.slug] += awarded
            if not awarded or len(batch) < SWEEP_BATCH:
                break
    return counts


def _load(model, ids: Iterable[int | None]) -> dict:
    ids = [i for i in ids if i is not None]
    if model is None or not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}

