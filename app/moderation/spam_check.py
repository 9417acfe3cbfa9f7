"""The spam check on new posts: gather what `spam_rules` read, and hold a post that
trips one.

A held post is saved and hidden (the hiding machinery: its author and staff still read
it, others read a notice, search leaves it out) and waits in the review queue with the
rule that fired, until a moderator approves or deletes it (`review.decide_held`).
Staff are never held. Two queries at most per post, inside the posting transaction.
"""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.forum.models import HELD_FOR_REVIEW, Post
from app.gamification.levels import level_for
from app.moderation import hiding
from app.moderation.models import HeldPost
from app.moderation.spam_rules import RULES, WINDOW, Draft, RecentPost, is_new_account, rule_fired
from app.timeutil import utcnow

RECENT_READ = 50  # the author's latest posts of the window that the rules read


def screen(post: Post, author) -> str | None:
    """Hold `post` (flushed, not yet committed) when a rule fires; the rule's slug, or
    None. Called by the posting services; never commits."""
    if author.is_staff:
        return None
    now = utcnow()
    recent = [RecentPost(thread_id, body) for thread_id, body in db.session.execute(
        select(Post.thread_id, Post.body)
        .where(Post.author_id == author.id, Post.id != post.id,
               Post.created_at >= now - WINDOW)
        .order_by(Post.id.desc()).limit(RECENT_READ))]
    new_account = is_new_account(level=level_for(author.points).number,
                                 age=now - author.created_at)
    review_first = bool(current_app.config.get("MODERATION_REVIEW_FIRST_POSTS"))
    draft = Draft(post.body, None if post.is_first else post.thread_id)
    rule = rule_fired(draft, recent, new_account=new_account, review_first_posts=review_first,
                      has_published=not (review_first and new_account)
                      or _has_published(author.id, post.id))
    if rule is not None:
        hold(post, rule)
    return rule


def hold(post: Post, rule: str) -> None:
    """Hide the post as held, by the system, and queue it for review. Never commits."""
    hiding.hide(post, by=None, reason=f"{HELD_FOR_REVIEW}: {RULES[rule]}", action="hold_post")
    db.session.add(HeldPost(post_id=post.id, rule=rule, held_at=post.hidden_at))


def _has_published(author_id: int, post_id: int) -> bool:
    """Whether the author has another post that is live and not hidden."""
    return db.session.scalar(select(Post.id).where(
        Post.author_id == author_id, Post.id != post_id, Post.deleted_at.is_(None),
        Post.hidden_at.is_(None)).limit(1)) is not None
