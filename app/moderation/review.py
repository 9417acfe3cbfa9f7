"""The review queue: posts the spam check held (oldest first), then flagged posts, one
entry per post, most urgent first; and the moderator's decisions: a verdict settles
every open flag on a post at once, and a held post is approved or deleted.

The queue page runs a fixed number of queries whatever its length: the held posts' and
the open flags' light rows (to rank every post by `priority`), then for one page the
posts, their flags and their authors' history.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.forum import posting
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import Post, Thread
from app.forum.savepoint import insert_once
from app.gamification.levels import level_for
from app.moderation import hiding, notices
from app.moderation.audit import log_action
from app.moderation.models import Flag, FlaggerAccuracy, FlagStatus, HeldPost, HeldStatus
from app.moderation.permissions import is_moderator
from app.moderation.priority import FlagSignal, priority
from app.moderation.spam_rules import RULES
from app.timeutil import utcnow
from app.web.pagination import Page

PER_PAGE = 20

# verdict -> (what the flags become, a line for the moderator's flash message)
VERDICTS: dict[str, tuple[str, str]] = {
    "hide": (FlagStatus.AGREED, "Flags agreed; the post is hidden."),
    "delete": (FlagStatus.AGREED, "Flags agreed; the post is deleted."),
    "disagree": (FlagStatus.DISAGREED, "Flags declined; the post stays."),
    "ignore": (FlagStatus.IGNORED, "Flags dismissed without a verdict."),
}
# held-post verdict -> (what the hold becomes, a line for the flash message)
HELD_VERDICTS: dict[str, tuple[str, str]] = {
    "approve": (HeldStatus.APPROVED, "Approved; the post is published."),
    "delete": (HeldStatus.DELETED, "The held post is deleted."),
}


@dataclass(frozen=True)
class AuthorHistory:
    joined: datetime
    points: int
    posts: int
    flags_agreed: int  # earlier flags on their posts that moderators agreed with


@dataclass(frozen=True)
class QueueEntry:
    post: Post
    priority: float
    flags: list[Flag]
    author: AuthorHistory
    held: HeldPost | None = None  # set when the spam check held the post

    @property
    def held_rule(self) -> str:
        return RULES.get(self.held.rule, self.held.rule) if self.held else ""


def can_review(user) -> bool:
    return is_moderator(user)


def queue_page(*, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of the queue: held posts first, the longest waiting first (nobody else
    can read them until someone decides), then posts with open flags, highest priority
    first, ties to the post flagged first (it has waited longest)."""
    held = {h.post_id: h for h in db.session.scalars(
        select(HeldPost).where(HeldPost.status == HeldStatus.OPEN)
        .order_by(HeldPost.held_at, HeldPost.post_id))}
    flagged = dict(_ranked_posts())
    ranked = [(post_id, flagged.get(post_id, 0.0)) for post_id in held] + [
        (post_id, score) for post_id, score in flagged.items() if post_id not in held]
    shown = ranked[(page - 1) * per_page: page * per_page]
    return Page(items=_entries(shown, held), page=page, per_page=per_page, total=len(ranked))


def decide_held(moderator, post_id: int, *, verdict: str, reason: str = "") -> str:
    """Approve (publish) or delete a post the spam check held, and say what happened.
    Either way the audit log records it, with the rule that held the post."""
    if not can_review(moderator):
        raise PermissionDenied("Only moderators can review held posts.")
    if verdict not in HELD_VERDICTS:
        raise ValidationError("verdict", "Choose whether to approve or delete this post.")
    status, message = HELD_VERDICTS[verdict]
    held = db.session.scalars(select(HeldPost).where(
        HeldPost.post_id == post_id, HeldPost.status == HeldStatus.OPEN).with_for_update()).first()
    if held is None:
        raise Conflict("This post is not held; another moderator may have decided.")
    post = db.session.get(Post, post_id)
    reason = reason.strip() or f"Held by the spam check ({RULES.get(held.rule, held.rule)}): {verdict}"
    held.status, held.decided_at, held.decided_by_id = status, utcnow(), moderator.id
    if verdict == "approve":
        if post.is_hidden:
            hiding.unhide(post, by=moderator, reason=reason, action="approve_held_post")
        db.session.commit()
    elif post.is_deleted:
        log_action(moderator, "delete_post", target=post, target_user=post.author_id,
                   reason=reason, before={"held": held.rule}, after={"deleted": True})
        db.session.commit()
    else:
        posting.delete_post(moderator, post_id, reason=reason)  # audits and commits it all
    return message


def resolve_flags(moderator, post_id: int, *, verdict: str, reason: str = "") -> str:
    """Settle every open flag on a post with one verdict, and say what happened.

    Agreeing hides or deletes the post; disagreeing and ignoring bring back a post the
    flags hid by themselves (that hiding only lasts until a moderator decides). Agreeing
    and disagreeing count towards each flagger's accuracy and tell each flagger the
    verdict once; ignoring counts for no one and tells no one.
    """
    if not can_review(moderator):
        raise PermissionDenied("Only moderators can review flags.")
    if verdict not in VERDICTS:
        raise ValidationError("verdict", "Choose what to do with this post.")
    status, message = VERDICTS[verdict]
    flags = list(db.session.scalars(
        select(Flag).where(Flag.post_id == post_id, Flag.status == FlagStatus.OPEN)
        .order_by(Flag.id).with_for_update()))
    if not flags:
        raise Conflict("This post has no open flags; another moderator may have decided.")
    post = db.session.get(Post, post_id)
    reason = reason.strip() or f"Flags reviewed: {verdict}"
    now = utcnow()
    for flag in flags:
        flag.status, flag.resolved_at, flag.resolved_by_id = status, now, moderator.id
    if status != FlagStatus.IGNORED:
        flagger_ids = [f.flagger_id for f in flags]
        agreed = status == FlagStatus.AGREED
        _count_verdicts(flagger_ids, agreed=agreed)
        notices.tell_flaggers(moderator, flagger_ids, post=post, agreed=agreed)
    log_action(moderator, "resolve_flags", target=post, target_user=post.author_id,
               reason=reason, before={"open_flags": len(flags)}, after={"verdict": verdict})
    if verdict == "hide" and not (post.is_hidden and post.hidden_by_id is not None):
        hiding.hide(post, by=moderator, reason=reason)
    elif verdict in ("disagree", "ignore") and post.is_hidden and post.hidden_by_id is None:
        hiding.unhide(post, by=moderator, reason=reason)
    if verdict == "delete" and not post.is_deleted:
        posting.delete_post(moderator, post_id, reason=reason)  # commits it all together
    else:
        db.session.commit()
    return message


def accuracy_of(user_id: int) -> tuple[int, int]:
    """(agreed, decided) flags of one person."""
    row = db.session.get(FlaggerAccuracy, user_id)
    return (row.agreed, row.decided) if row else (0, 0)


def _count_verdicts(flagger_ids: list[int], *, agreed: bool) -> None:
    """One more decided flag for each flagger, and one more agreed when `agreed`; counted
    in SQL so two moderators deciding at once both count."""
    for user_id in flagger_ids:
        insert_once(FlaggerAccuracy(user_id=user_id, agreed=0, decided=0))
    db.session.execute(
        update(FlaggerAccuracy).where(FlaggerAccuracy.user_id.in_(flagger_ids))
        .values(decided=FlaggerAccuracy.decided + 1,
                agreed=FlaggerAccuracy.agreed + (1 if agreed else 0))
        .execution_options(synchronize_session=False))


def _ranked_posts() -> list[tuple[int, float]]:
    """(post id, priority) of every post with open flags, most urgent first."""
    rows = db.session.execute(
        select(Flag.post_id, Flag.id, User.points, FlaggerAccuracy.agreed,
               FlaggerAccuracy.decided)
        .join(User, User.id == Flag.flagger_id)
        .outerjoin(FlaggerAccuracy, FlaggerAccuracy.user_id == Flag.flagger_id)
        .where(Flag.status == FlagStatus.OPEN))
    signals: dict[int, list[FlagSignal]] = {}
    first_flag: dict[int, int] = {}
    for post_id, flag_id, points, agreed, decided in rows:
        signals.setdefault(post_id, []).append(
            FlagSignal(level=level_for(points).number, agreed=agreed or 0, decided=decided or 0))
        first_flag[post_id] = min(flag_id, first_flag.get(post_id, flag_id))
    scored = [(post_id, priority(found)) for post_id, found in signals.items()]
    return sorted(scored, key=lambda item: (-item[1], first_flag[item[0]]))


def _entries(shown: list[tuple[int, float]], held: dict[int, HeldPost]) -> list[QueueEntry]:
    if not shown:
        return []
    ids = [post_id for post_id, _ in shown]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_(ids))
        .options(joinedload(Post.thread).joinedload(Thread.category), joinedload(Post.author)))}
    flags: dict[int, list[Flag]] = {}
    for flag in db.session.scalars(
            select(Flag).where(Flag.post_id.in_(ids), Flag.status == FlagStatus.OPEN)
            .options(joinedload(Flag.flagger), joinedload(Flag.duplicate_of))
            .order_by(Flag.id)):
        flags.setdefault(flag.post_id, []).append(flag)
    history = _author_history({p.author for p in posts.values()})
    return [QueueEntry(post=posts[post_id], priority=score, flags=flags.get(post_id, []),
                       author=history[posts[post_id].author_id], held=held.get(post_id))
            for post_id, score in shown]


def _author_history(authors: set[User]) -> dict[int, AuthorHistory]:
    """Joined, points, live posts and agreed flags of each author, in two queries."""
    ids = [a.id for a in authors]
    posts = dict(db.session.execute(
        select(Post.author_id, func.count()).where(Post.author_id.in_(ids),
                                                   Post.deleted_at.is_(None))
        .group_by(Post.author_id)).all())
    agreed = dict(db.session.execute(
        select(Post.author_id, func.count()).join(Flag, Flag.post_id == Post.id)
        .where(Post.author_id.in_(ids), Flag.status == FlagStatus.AGREED)
        .group_by(Post.author_id)).all())
    return {a.id: AuthorHistory(joined=a.created_at, points=a.points, posts=posts.get(a.id, 0),
                                flags_agreed=agreed.get(a.id, 0)) for a in authors}
