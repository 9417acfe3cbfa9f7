"""Votes and accepted answers."""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.forum import permissions
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import Post, Thread, Vote
from app.forum.savepoint import savepoint
from app.forum.thread_page import get_visible_post
from app.gamification.privileges import require
from app.insights.services import record
from app.moderation.restrictions import require_not_silenced

VOTE_VALUES = {"up": 1, "down": -1, "clear": 0}
VOTE_NAMES = {1: "up", -1: "down"}


@dataclass(frozen=True)
class VoteResult:
    post: Post
    score: int
    my_vote: str | None  # "up", "down" or None
    changed: bool


@dataclass(frozen=True)
class AcceptResult:
    post: Post
    accepted: bool  # True when the post is now the accepted answer


def cast_vote(user, post_id: int, value: str) -> VoteResult:
    """Vote a post up or down; the same vote again (or `clear`) takes it back.

    One vote per person per post (a unique key). Scores move by an SQL expression in the
    same transaction as the vote row, so they always equal the sum of the votes; an
    opening post's score is mirrored on its thread for the lists. If two requests from
    the same person race to insert, the second one's insert fails in a savepoint and it
    leaves things as the first one set them.
    """
    if value not in VOTE_VALUES:
        raise ValidationError("value", "Vote up, down or clear.")
    post = get_visible_post(user, post_id)
    require_not_silenced(user)
    if post.is_deleted or post.thread.is_deleted:
        raise Conflict("This post was deleted, so it can no longer be voted on.")
    if post.thread.is_locked:
        raise Conflict("This thread is locked, so its posts take no votes.")
    if user.is_authenticated and post.author_id == user.id:
        raise PermissionDenied("You cannot vote on your own post.")
    if not permissions.may_vote_on(user, post):
        raise PermissionDenied("You cannot vote on this post.")

    wanted = VOTE_VALUES[value]
    vote = db.session.scalars(
        select(Vote).where(Vote.user_id == user.id, Vote.post_id == post.id).with_for_update()
    ).first()
    previous = vote.value if vote is not None else 0
    new = 0 if wanted == previous else wanted  # the same vote again is an undo
    if new:
        require(user, "vote_up" if new > 0 else "vote_down")  # taking a vote back is always allowed

    if new == previous:
        db.session.rollback()
        return VoteResult(post, _score(post.id), VOTE_NAMES.get(previous), changed=False)
    if vote is None:
        try:
            with savepoint():
                db.session.add(Vote(user_id=user.id, post_id=post.id, value=new))
                db.session.flush()
        except IntegrityError:
            db.session.rollback()
            current = db.session.scalar(
                select(Vote.value).where(Vote.user_id == user.id, Vote.post_id == post.id)
            )
            return VoteResult(post, _score(post.id), VOTE_NAMES.get(current), changed=False)
    elif new == 0:
        db.session.delete(vote)
    else:
        vote.value = new

    delta = new - previous
    score = db.session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(score=Post.score + delta)
        .returning(Post.score)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if post.is_first:
        db.session.execute(
            update(Thread)
            .where(Thread.id == post.thread_id)
            .values(score=Thread.score + delta)
            .execution_options(synchronize_session=False)
        )
    if new:
        record("vote", user=user, subject=post, data={"value": new, "previous": previous})
    else:
        record("unvote", user=user, subject=post, data={"value": previous})
    db.session.commit()
    return VoteResult(post, score, VOTE_NAMES.get(new), changed=True)


def accept_answer(user, post_id: int) -> AcceptResult:
    """The asker marks the answer that solved it; accepting it again takes it back.

    Accepting another answer moves the mark. The thread row is locked while it changes,
    so two quick clicks cannot leave a stale answer accepted.
    """
    require_not_silenced(user)
    post = get_visible_post(user, post_id)
    thread = post.thread
    if post.is_deleted or thread.is_deleted:
        raise Conflict("This answer was deleted, so it cannot be accepted.")
    if not thread.is_question or post.is_first:
        raise Conflict("Only answers to a question can be accepted.")
    if not permissions.can_accept(user, post):
        raise PermissionDenied("Only the person who asked can accept an answer.")

    thread = db.session.scalars(
        select(Thread)
        .where(Thread.id == thread.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    previous = thread.accepted_post_id
    accepted = previous != post.id
    thread.accepted_post_id = post.id if accepted else None
    record(
        "accept" if accepted else "unaccept",
        user=user,
        subject=post,
        data={"thread_id": thread.id, "previous": previous},
    )
    db.session.commit()
    return AcceptResult(post, accepted)


def _score(post_id: int) -> int:
    return db.session.scalar(select(Post.score).where(Post.id == post_id)) or 0
