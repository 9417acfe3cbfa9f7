"""Who the re-engagement campaign looks at, with what the eligibility rules need to know.

People come from the latest engagement run (at-risk, dormant, or a high churn risk) and
are read in batches; each batch costs the same few queries however many people it holds:
their account, preferences, bounces, latest marketing email, latest re-engagement sends,
latest event and whether there is anything to tell them. `eligibility` decides.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import exists, func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post, Thread
from app.insights.engagement_queries import latest_run
from app.insights.models import Event
from app.insights.models.engagement import EngagementScore
from app.insights.models.recommendations import Recommendation
from app.insights.recommendation_reads import latest_run_id
from app.outreach import preferences
from app.outreach.eligibility import (
    CHURN_RISK_THRESHOLD,
    SEEN_WITHIN,
    TARGET_SEGMENTS,
    UNANSWERED_LIMIT,
    Candidate,
    Sent,
)
from app.outreach.models import EmailMessage, EmailPreference, MessageStatus
from app.outreach.sending import bounced_user_ids
from app.timeutil import utcnow

BATCH = 1_000
# A marketing email in any of these states has used the person's slot: queued ones will
# still go out, and held-out ones count so the control group is capped like the rest.
TAKES_A_SLOT = (MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.SENT,
                MessageStatus.HELD_OUT)


def gather(as_of: datetime) -> Iterator[list[Candidate]]:
    """Batches of candidates from the engagement run of `as_of`'s day (or the latest
    before it), by user id; nothing when the engagement job has never run."""
    run = latest_run(as_of)
    if run is None:
        return
    people = (
        select(EngagementScore.user_id, EngagementScore.segment, EngagementScore.churn_risk,
               User.email_verified_at, User.deleted_at, User.suspended_until,
               User.last_seen_at)
        .join(User, User.id == EngagementScore.user_id)
        .where(EngagementScore.day == run.day,
               or_(EngagementScore.segment.in_(TARGET_SEGMENTS),
                   EngagementScore.churn_risk > CHURN_RISK_THRESHOLD))
        .order_by(EngagementScore.user_id).limit(BATCH))
    popular = _popular_list_exists()
    after = 0
    while rows := db.session.execute(people.where(EngagementScore.user_id > after)).all():
        yield _candidates(rows, as_of, popular)
        after = rows[-1].user_id


def _candidates(rows, as_of: datetime, popular: bool) -> list[Candidate]:
    ids = [row.user_id for row in rows]
    subscribed = preferences.users_with_mode(preferences.REENGAGEMENT, preferences.SUBSCRIBED,
                                             ids)
    bounced = bounced_user_ids(ids)
    silenced = silenced_user_ids(ids, at=as_of)
    latest_event = _latest_events([row.user_id for row in rows if row.last_seen_at is None])
    last_marketing = _last_marketing(ids)
    sends = _recent_sends(ids)
    picked = _with_picks(ids)
    answered = _latest_answers(ids)
    out = []
    for row in rows:
        seen = row.last_seen_at or latest_event.get(row.user_id)
        new_answers = seen is not None and answered.get(row.user_id, seen) > seen
        out.append(Candidate(
            user_id=row.user_id, segment=row.segment, churn_risk=row.churn_risk,
            verified=row.email_verified_at is not None, deleted=row.deleted_at is not None,
            subscribed=row.user_id in subscribed, suspended_until=row.suspended_until,
            silenced=row.user_id in silenced, bounced=row.user_id in bounced,
            last_seen=seen, last_marketing=last_marketing.get(row.user_id),
            recent_sends=tuple(sends.get(row.user_id, ())),
            has_content=popular or row.user_id in picked or new_answers))
    return out


def digest_readers(as_of: datetime) -> list[int]:
    """People who asked for the re-engagement digest and may still get one (seen within
    the year, personalised): the recommendations job picks for them even when they have
    been away too long to count as active, so their digest has picks of their own."""
    return list(db.session.scalars(
        select(EmailPreference.user_id)
        .join(User, User.id == EmailPreference.user_id)
        .where(EmailPreference.kind == preferences.REENGAGEMENT,
               EmailPreference.mode == preferences.SUBSCRIBED,
               User.deleted_at.is_(None), User.personalise.is_(True),
               User.last_seen_at >= as_of - SEEN_WITHIN)))


def silenced_user_ids(user_ids, *, at: datetime | None = None) -> set[int]:
    """People a moderator has silenced (still, at `at`) get no marketing email; this is
    the one place the campaign reads silence."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        select(User.id).where(User.id.in_(ids), User.silenced_until > (at or utcnow()))))


def _latest_events(user_ids: list[int]) -> dict[int, datetime]:
    """Their latest event: when the account has no last_seen_at (imported, or older)."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Event.user_id, func.max(Event.created_at))
        .where(Event.user_id.in_(user_ids)).group_by(Event.user_id)).all())


def _marketing_kinds() -> list[str]:
    return [name for name, kind in preferences.KINDS.items() if kind.marketing]


def _last_marketing(user_ids: list[int]) -> dict[int, datetime]:
    """The latest marketing email each person got, is queued for, or was held out of."""
    return dict(db.session.execute(
        select(EmailMessage.user_id, func.max(func.coalesce(EmailMessage.sent_at,
                                                            EmailMessage.created_at)))
        .where(EmailMessage.user_id.in_(user_ids), EmailMessage.kind.in_(_marketing_kinds()),
               EmailMessage.status.in_(TAKES_A_SLOT))
        .group_by(EmailMessage.user_id)).all())


def _recent_sends(user_ids: list[int]) -> dict[int, list[Sent]]:
    """Each person's latest UNANSWERED_LIMIT re-engagement emails that went out, newest
    first, in one query (a window function numbers each person's sends)."""
    position = func.row_number().over(partition_by=EmailMessage.user_id,
                                      order_by=(EmailMessage.sent_at.desc(),
                                                EmailMessage.id.desc())).label("position")
    sends = (select(EmailMessage.user_id, EmailMessage.sent_at, EmailMessage.returned_at,
                    position)
             .where(EmailMessage.user_id.in_(user_ids),
                    EmailMessage.kind == preferences.REENGAGEMENT,
                    EmailMessage.status == MessageStatus.SENT,
                    EmailMessage.sent_at.is_not(None))
             .subquery())
    found: dict[int, list[Sent]] = defaultdict(list)
    for user_id, sent_at, returned_at in db.session.execute(
            select(sends.c.user_id, sends.c.sent_at, sends.c.returned_at)
            .where(sends.c.position <= UNANSWERED_LIMIT)
            .order_by(sends.c.user_id, sends.c.position)):
        found[user_id].append(Sent(sent_at, returned_at))
    return found


def _popular_list_exists() -> bool:
    """The popular list, which the digest falls back on for people without picks."""
    return bool(db.session.scalar(select(exists().where(
        Recommendation.run_id == latest_run_id(),
        Recommendation.user_id.is_(None)))))


def _with_picks(user_ids: list[int]) -> set[int]:
    return set(db.session.scalars(
        select(Recommendation.user_id).distinct()
        .where(Recommendation.run_id == latest_run_id(),
               Recommendation.user_id.in_(user_ids))))


def _latest_answers(user_ids: list[int]) -> dict[int, datetime]:
    """When someone else last answered each person's threads (live posts only)."""
    return dict(db.session.execute(
        select(Thread.author_id, func.max(Post.created_at))
        .join(Post, Post.thread_id == Thread.id)
        .where(Thread.author_id.in_(user_ids), Thread.deleted_at.is_(None),
               Post.is_first.is_(False), Post.deleted_at.is_(None),
               Post.author_id != Thread.author_id)
        .group_by(Thread.author_id)).all())
