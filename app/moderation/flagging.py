"""Flagging a post (a thread is flagged through its opening post) for moderators.

One use case, one transaction: check who may flag and what the flag says, insert it (the
unique key refuses a second flag from the same person), and hide the post at once when
enough trusted members report it as spam or abuse.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.extensions import db
from app.forum.errors import Conflict, ForumError, PermissionDenied, ValidationError
from app.forum.models import Post, Thread
from app.forum.thread_page import get_visible_post, get_visible_thread
from app.gamification.closing_rules import parse_thread_ref
from app.gamification.levels import level_for
from app.gamification.privileges import require
from app.insights.services import record
from app.moderation import flag_rules, hiding
from app.moderation.models import Flag, FlagStatus
from app.moderation.restrictions import require_not_silenced
from app.timeutil import utcnow

NO_ORIGINAL = "We could not find a live thread with that link or number."
ALREADY_FLAGGED = "You have already flagged this post; moderators will look at it."


def flaggable_post(user, post_id: int) -> Post:
    """The post `user` may flag, for the flag form and for saving the flag."""
    require(user, "flag")
    require_not_silenced(user)
    post = get_visible_post(user, post_id)
    if post.is_deleted:
        raise Conflict("That post is deleted already.")
    if post.author_id == user.id:
        raise PermissionDenied("You cannot flag your own post.")
    if has_flagged(user, post.id):
        raise Conflict(ALREADY_FLAGGED)
    return post


def has_flagged(user, post_id: int) -> bool:
    return db.session.scalar(select(Flag.id).where(
        Flag.post_id == post_id, Flag.flagger_id == user.id)) is not None


def flag_post(user, post_id: int, *, reason: str, text: str = "",
              duplicate: str = "") -> Flag:
    """Save `user`'s flag on a post; raises ValidationError naming the field at fault."""
    post = flaggable_post(user, post_id)
    if reason not in flag_rules.REASONS:
        raise ValidationError("reason", "Choose why this post needs a moderator.")
    text = (text or "").strip()
    if reason == "other" and not text:
        raise ValidationError("text", "Tell the moderators what is wrong with this post.")
    if len(text) > flag_rules.MAX_TEXT_LENGTH:
        raise ValidationError("text", f"Keep it under {flag_rules.MAX_TEXT_LENGTH} characters.")
    original = _original(user, post, duplicate) if reason == "duplicate" else None

    flag = Flag(post_id=post.id, flagger_id=user.id, reason=reason, text=text,
                duplicate_of_id=original.id if original else None, created_at=utcnow())
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError as error:  # a double click's twin got there first
        db.session.rollback()
        raise Conflict(ALREADY_FLAGGED) from error
    record("flag", user=user, subject=post, data={"reason": reason})
    if not post.is_hidden and flag_rules.hides_at_once(_open_flags_with_levels(post.id)):
        hiding.hide(post, by=None, reason=hiding.AUTOMATIC_REASON)
    db.session.commit()
    return flag


def _open_flags_with_levels(post_id: int) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Flag.reason, User.points).join(User, User.id == Flag.flagger_id)
        .where(Flag.post_id == post_id, Flag.status == FlagStatus.OPEN))
    return [(reason, level_for(points).number) for reason, points in rows]


def _original(user, post: Post, text: str) -> Thread:
    """The live thread that `post`'s thread duplicates, from its link or number."""
    original_id = parse_thread_ref(text)
    if original_id is None:
        raise ValidationError("duplicate", "Paste the link (or the number) of the original thread.")
    if original_id == post.thread_id:
        raise ValidationError("duplicate", "A thread cannot be a duplicate of itself.")
    try:
        original = get_visible_thread(user, original_id)
    except ForumError as error:  # missing, or in a category this person cannot read
        raise ValidationError("duplicate", NO_ORIGINAL) from error
    if original.is_deleted:
        raise ValidationError("duplicate", NO_ORIGINAL)
    return original
