"""Moderation history for the demo: flags over the last 90 days and the verdicts on them.

Rows are written directly and back-dated (the review service stamps each decision with
the clock), keeping what the service keeps: every decided flag has its moderator and
time, agreed flags hid their post at that time with the audit entries "Agree and hide"
writes, and each flagger's accuracy counts their decided flags. A few recent flags stay
open, so the review queue has work and the console's moderation page has a history.
"""

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import Role, User
from app.database import insert_in_batches
from app.extensions import db
from app.forum.models import Post
from app.forum.search_index import index_post
from app.gamification.levels import PRIVILEGES_BY_SLUG
from app.moderation.audit import log_action
from app.moderation.models import Flag, FlaggerAccuracy, FlagStatus

FLAGGED_POSTS = 24
STILL_OPEN = 3
WINDOW = timedelta(days=90)
OTHER_TEXTS = ("Reads like an advert for a course.", "Copied from a blog post word for word.",
               "Answers a different question.")
VERDICTS = ((FlagStatus.AGREED, 5), (FlagStatus.DISAGREED, 3), (FlagStatus.IGNORED, 1))


def add_demo_moderation(*, now: datetime, seed: int) -> int:
    """Flag `FLAGGED_POSTS` answers and decide all but `STILL_OPEN`; returns the flags."""
    rng = random.Random(seed)
    moderators = list(db.session.scalars(select(User).where(User.role == Role.MODERATOR)
                                         .order_by(User.id)))
    flaggers = list(db.session.scalars(
        select(User).where(User.role == Role.MEMBER,
                           User.points >= PRIVILEGES_BY_SLUG["flag"].points).order_by(User.id)))
    answers = list(db.session.scalars(
        select(Post).where(~Post.is_first, Post.deleted_at.is_(None), Post.hidden_at.is_(None),
                           Post.created_at < now - timedelta(days=2)).order_by(Post.id)))
    if not (moderators and len(flaggers) > 3 and answers):
        return 0
    flags: list[dict] = []
    decided, agreed = Counter(), Counter()
    for n, post in enumerate(rng.sample(answers, min(FLAGGED_POSTS, len(answers)))):
        still_open = n < STILL_OPEN
        earliest = max(post.created_at, now - WINDOW)
        raised = (now - timedelta(hours=rng.randint(3, 40)) if still_open else
                  earliest + (now - timedelta(days=3) - earliest) * rng.random())
        reason = rng.choice(("spam", "rude", "rude", "off_topic", "off_topic", "other"))
        people = rng.sample([f for f in flaggers if f.id != post.author_id], rng.choice((1, 1, 2, 3)))
        status, moderator, resolved = FlagStatus.OPEN, None, None
        if not still_open:
            status = rng.choices([v for v, _ in VERDICTS], [w for _, w in VERDICTS])[0]
            moderator = rng.choice(moderators)
            resolved = raised + timedelta(hours=rng.uniform(0.5, 48))
            _decide(post, moderator, status, flags=len(people), at=resolved)
        for k, person in enumerate(people):
            flags.append({
                "post_id": post.id, "flagger_id": person.id, "reason": reason,
                "text": rng.choice(OTHER_TEXTS) if reason == "other" else "",
                "created_at": raised + timedelta(minutes=17 * k), "status": status,
                "resolved_at": resolved, "resolved_by_id": moderator.id if moderator else None,
            })
            if status in (FlagStatus.AGREED, FlagStatus.DISAGREED):
                decided[person.id] += 1
                agreed[person.id] += status == FlagStatus.AGREED
    insert_in_batches(Flag, flags)
    insert_in_batches(FlaggerAccuracy, ({"user_id": user_id, "agreed": agreed[user_id],
                                         "decided": count} for user_id, count in decided.items()))
    db.session.commit()
    return len(flags)


def _decide(post: Post, moderator: User, status: str, *, flags: int, at: datetime) -> None:
    verdict = {FlagStatus.AGREED: "hide", FlagStatus.DISAGREED: "disagree",
               FlagStatus.IGNORED: "ignore"}[status]
    reason = f"Flags reviewed: {verdict}"
    log_action(moderator, "resolve_flags", target=post, target_user=post.author_id,
               reason=reason, before={"open_flags": flags}, after={"verdict": verdict}, at=at)
    if status == FlagStatus.AGREED:
        post.hidden_at, post.hidden_by_id, post.hidden_reason = at, moderator.id, reason
        index_post(post)
        log_action(moderator, "hide_post", target=post, target_user=post.author_id,
                   reason=reason, before={"hidden": False, "hidden_by": None},
                   after={"hidden": True, "hidden_by": moderator.id}, at=at)

