"""Bounties for the demo: a few running on open questions and one already awarded.

They go through the bounty service, back-dated, so the ledger rows, events and
notifications are the ones a real offer makes; only the choice of questions and
offerers is the seed's.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.forum.models import Category, Post, Thread, ThreadKind
from app.gamification import bounty_rules
from app.gamification.bounties import award_bounty, offer_bounty
from app.gamification.levels import PRIVILEGES_BY_SLUG

RUNNING = 3
AMOUNTS = (50, 100, 150)


def add_demo_bounties(*, now: datetime, seed: int) -> int:
    """Offer `RUNNING` bounties started in the last six days and award one from last month.

    Returns how many bounties were offered; fewer when the community is too small to
    have questions old enough or people with the points to spend.
    """
    rng = random.Random(seed)
    offerers = _people_who_can_offer()
    offered = 0
    awardable = _answered_questions(before=now - timedelta(days=25))
    if awardable and offerers:
        thread, answer = rng.choice(awardable)
        offerer = _pick_offerer(rng, offerers, exclude={answer.author_id})
        if offerer is not None:
            started = max(thread.created_at, answer.created_at) + timedelta(days=3)
            bounty = offer_bounty(offerer, thread.id, amount=AMOUNTS[0], now=started,
                                  reason="This deserves a well-explained canonical answer.")
            award_bounty(offerer, bounty.id, answer.id, now=started + timedelta(days=2))
            offered += 1
    open_questions = _open_questions(now=now)
    rng.shuffle(open_questions)
    for thread in open_questions[:RUNNING]:
        offerer = _pick_offerer(rng, offerers, exclude={thread.author_id})
        if offerer is None:
            break
        started = now - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 23))
        offer_bounty(offerer, thread.id, amount=rng.choice(AMOUNTS), now=started,
                     reason="Looking for an answer that shows a working example.")
        offered += 1
    return offered


def _people_who_can_offer() -> list[User]:
    """Members with the bounty privilege and enough points left for the largest offer."""
    needed = max(PRIVILEGES_BY_SLUG["offer_bounty"].points, max(AMOUNTS)) + max(AMOUNTS)
    return list(db.session.scalars(
        select(User).where(User.role == Role.MEMBER, User.deleted_at.is_(None),
                           User.points >= needed).order_by(User.id)
    ))


def _pick_offerer(rng: random.Random, offerers: list[User], *, exclude: set[int]) -> User | None:
    choices = [user for user in offerers if user.id not in exclude]
    return rng.choice(choices) if choices else None


def _public_questions():
    return (
        select(Thread).join(Category)
        .where(Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None),
               Thread.closed_at.is_(None), Category.member_only.is_(False))
        .order_by(Thread.id)
    )


def _open_questions(*, now: datetime) -> list[Thread]:
    """Unsolved public questions old enough for a bounty and no older than two months."""
    oldest = now - timedelta(days=60)
    youngest = now - bounty_rules.MIN_QUESTION_AGE - timedelta(days=7)
    return list(db.session.scalars(
        _public_questions().where(Thread.accepted_post_id.is_(None),
                                  Thread.created_at.between(oldest, youngest))
    ))


def _answered_questions(*, before: datetime) -> list[tuple[Thread, Post]]:
    """Older public questions with their best live answer, for a bounty already awarded."""
    rows = db.session.execute(
        _public_questions().add_columns(Post)
        .join(Post, Post.thread_id == Thread.id)
        .where(Thread.created_at < before, Post.is_first.is_(False), Post.reply_to_id.is_(None),
               Post.deleted_at.is_(None),
               Post.score >= bounty_rules.EXPIRY_MIN_SCORE, Post.created_at < before)
        .order_by(Thread.id, Post.score.desc(), Post.id)
    ).all()
    best: dict[int, tuple[Thread, Post]] = {}
    for thread, post in rows:
        best.setdefault(thread.id, (thread, post))
    return list(best.values())
