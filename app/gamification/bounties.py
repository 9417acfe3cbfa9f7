"""Bounties: offer points on a question, award them to an answer, settle those that ran out.

Each use case is one transaction. The offered points leave the offerer through the
ledger at once (key `bounty:{id}:offered`); whatever the bounty pays goes through the
ledger under one key (`bounty:{id}:awarded`), whether the offerer chose the answer or
the expiry did, so a bounty never pays twice; a refund (the question was deleted, or
merged into another) goes back under `bounty:{id}:refund`. `Bounty.active_thread_id`
is unique, so two offers racing on one question leave one. The bounty row is locked
while it is settled, so an award and the expiry job cannot both settle it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.forum import permissions
from app.forum.errors import Conflict, ForumError, NotFound, PermissionDenied, ValidationError
from app.forum.models import Category, Post, Thread
from app.forum.savepoint import savepoint
from app.forum.thread_page import get_visible_post, get_visible_thread
from app.gamification import bounty_rules, ledger
from app.gamification.models import Bounty
from app.gamification.privileges import can, require
from app.gamification.rules import FLOOR
from app.insights.services import record
from app.moderation.restrictions import require_not_silenced, silence_problem
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

ACTIVE = "active"
AWARDED = "awarded"
EXPIRED = "expired"


def offer_bounty(user, thread_id: int, *, amount: int | None, reason: str = "",
                 now: datetime | None = None) -> Bounty:
    """Offer `amount` of the user's points on a question; they leave the total at once."""
    now = now or utcnow()
    require_not_silenced(user)
    require(user, "offer_bounty")
    problem = bounty_rules.amount_problem(amount)
    if problem:
        raise ValidationError("amount", problem)
    reason = (reason or "").strip()
    if len(reason) > bounty_rules.MAX_REASON_LENGTH:
        raise ValidationError(
            "reason", f"Keep the reason under {bounty_rules.MAX_REASON_LENGTH} characters."
        )
    thread = get_visible_thread(user, thread_id)
    points = _lock_points(user.id)  # serialises one person's offers: the count and the floor
    error = _offer_problem(thread, _active_bounty_id(thread.id), _active_count(user.id), now)
    if error is not None:
        raise error
    problem = bounty_rules.points_problem(amount, points=points, floor=FLOOR)
    if problem:
        raise ValidationError("amount", problem)

    bounty = Bounty(
        thread_id=thread.id, offered_by_id=user.id, amount=amount, reason=reason,
        status=ACTIVE, active_thread_id=thread.id, started_at=now,
        ends_at=now + bounty_rules.DURATION,
    )
    try:
        with savepoint():
            db.session.add(bounty)
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Someone offered a bounty on this question a moment ago.") from None
    ledger.award(user.id, "bounty_offered", points=-amount, key=f"bounty:{bounty.id}:offered",
                 uncapped=True, subject=bounty, at=now)
    record("bounty_offered", user=user, subject=bounty, at=now,
           data={"amount": amount, "thread_id": thread.id, "post_id": None})
    db.session.commit()
    return bounty


def award_bounty(user, bounty_id: int, post_id: int | None, *, now: datetime | None = None) -> Bounty:
    """The offerer gives the bounty to an answer of the question (not their own)."""
    now = now or utcnow()
    require_not_silenced(user)
    bounty = _locked_bounty(bounty_id)
    if not (user.is_authenticated and bounty.offered_by_id == user.id):
        raise PermissionDenied("Only the person who offered a bounty can award it.")
    if bounty.status != ACTIVE or bounty.ends_at <= now:
        raise Conflict("This bounty has ended, so it can no longer be awarded.")
    if post_id is None:
        raise NotFound("Choose the answer to award the bounty to.")
    post = get_visible_post(user, post_id)
    if post.thread_id != bounty.thread_id or post.is_first:
        raise Conflict("A bounty goes to an answer of the question it was offered on.")
    if post.is_deleted:
        raise Conflict("That answer was deleted, so it cannot receive the bounty.")
    if post.author_id == user.id:
        raise Conflict("You cannot award your own bounty to your own answer.")
    _settle(bounty, AWARDED, post=post, amount=bounty.amount, actor_id=user.id, now=now)
    db.session.commit()
    return bounty


def expire_bounties(now: datetime | None = None) -> int:
    """Settle every bounty whose week is over; returns how many it settled. For an hourly job.

    Half the amount (rounded down) goes to the best answer written during the bounty
    (see `bounty_rules.expiry_winner`), else to nobody; a question deleted meanwhile
    gets its bounty refunded. Each bounty commits on its own; running again settles
    nothing twice, as settled bounties are no longer active and the ledger keys are
    used.
    """
    now = now or utcnow()
    due = list(db.session.scalars(
        select(Bounty.id).where(Bounty.status == ACTIVE, Bounty.ends_at <= now).order_by(Bounty.id)
    ))
    settled = 0
    for bounty_id in due:
        bounty = _locked_bounty(bounty_id)
        if bounty.status != ACTIVE:
            continue
        thread = db.session.get(Thread, bounty.thread_id)
        if thread.is_deleted:
            _refund(bounty, now)
        else:
            winner = _expiry_winner(bounty)
            share = bounty_rules.expiry_share(bounty.amount) if winner is not None else 0
            _settle(bounty, EXPIRED, post=winner, amount=share, actor_id=None, now=now)
        db.session.commit()
        settled += 1
    return settled


def refund_running_bounty(thread_id: int, *, now: datetime | None = None) -> Bounty | None:
    """Give the running bounty on a question that goes away (merged into another) back
    to its offerer, as the expiry does for a deleted question; None when none runs.
    Never commits: it belongs to the caller's use case."""
    bounty_id = _active_bounty_id(thread_id)
    if bounty_id is None:
        return None
    bounty = _locked_bounty(bounty_id)
    if bounty.status != ACTIVE:
        return None
    _refund(bounty, now or utcnow())
    return bounty


def featured_bounties(viewer, *, page: int, per_page: int, now: datetime | None = None) -> Page:
    """Running bounties the viewer may see, ending soonest first (ties: oldest offer)."""
    return paginate(_featured_query(viewer, now or utcnow()), page=page, per_page=per_page)


def top_bounties(viewer, *, limit: int = 5, now: datetime | None = None) -> list[Bounty]:
    """The first few of `featured_bounties`, for the home page's box (one query)."""
    query = _featured_query(viewer, now or utcnow(), with_tags=False).limit(limit)
    return list(db.session.scalars(query).unique())


@dataclass
class BountyPanel:
    """What the thread page shows about bounties: at most two queries, none for discussions.

    `can_offer` is True when the offer form should show, with `amounts` the viewer can
    afford; otherwise `offer_blocker` tells a privileged viewer why not (None while a
    bounty runs: the banner says it all). A silenced offerer awards nothing until the
    silence ends (`silenced`).
    """

    viewer_id: int | None
    now: datetime
    silenced: bool = False
    active: Bounty | None = None
    awarded: dict[int, int] = field(default_factory=dict)  # post id -> bounty points it got
    can_offer: bool = False
    amounts: tuple[int, ...] = ()
    offer_blocker: str | None = None

    @property
    def running(self) -> bool:
        return self.active is not None and self.active.ends_at > self.now

    def can_award(self, post: Post) -> bool:
        return (
            self.running
            and not self.silenced
            and self.viewer_id == self.active.offered_by_id
            and post.thread_id == self.active.thread_id
            and not post.is_first
            and not post.is_deleted
            and post.author_id != self.viewer_id
        )

    @property
    def ends_in(self) -> str:
        return bounty_rules.remaining_text(self.active.ends_at - self.now)


def bounty_panel(viewer, thread: Thread, *, now: datetime | None = None) -> BountyPanel:
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    panel = BountyPanel(viewer_id=viewer_id, now=now or utcnow(),
                        silenced=silence_problem(viewer) is not None)
    if not thread.is_question:
        return panel
    for bounty in db.session.scalars(
        select(Bounty).where(Bounty.thread_id == thread.id)
        .options(joinedload(Bounty.offered_by)).order_by(Bounty.id)
    ):
        if bounty.status == ACTIVE:
            panel.active = bounty
        elif bounty.awarded_post_id and bounty.awarded_amount:
            post_id = bounty.awarded_post_id
            panel.awarded[post_id] = panel.awarded.get(post_id, 0) + bounty.awarded_amount
    if panel.active is not None or not can(viewer, "offer_bounty"):
        return panel
    panel.amounts = _affordable(viewer.points)
    panel.offer_blocker = _blocker(viewer, thread, None, panel.amounts, panel.now)
    panel.can_offer = panel.offer_blocker is None
    return panel


def offer_check(user, thread_id: int, *, now: datetime | None = None) -> tuple[Thread, str | None]:
    """The question of the offer page, and why `user` cannot offer on it now (or None)."""
    thread = get_visible_thread(user, thread_id)
    require(user, "offer_bounty")
    blocker = _blocker(user, thread, _active_bounty_id(thread.id), _affordable(user.points),
                       now or utcnow())
    return thread, blocker


# -- internals ---------------------------------------------------------------------


def _offer_problem(thread: Thread, active_bounty_id: int | None, active_count: int,
                   now: datetime) -> ForumError | None:
    """Why no bounty can be offered on `thread` by someone with `active_count` running."""
    if not thread.is_question:
        return Conflict("Bounties are offered on questions, not discussions.")
    if thread.is_deleted:
        return Conflict("This question was deleted, so it cannot take a bounty.")
    if thread.is_closed:
        return Conflict("This question is closed, so it cannot take a bounty.")
    if active_bounty_id is not None:
        return Conflict("This question already has a bounty running.")
    problem = bounty_rules.age_problem(thread.created_at, now)
    if problem:
        return Conflict(problem)
    if active_count >= bounty_rules.MAX_ACTIVE_PER_USER:
        return Conflict(
            f"You already have {bounty_rules.MAX_ACTIVE_PER_USER} bounties running; "
            "you can offer another once one of them ends."
        )
    return None


def _affordable(points: int) -> tuple[int, ...]:
    return tuple(
        amount for amount in bounty_rules.AMOUNTS
        if bounty_rules.points_problem(amount, points=points, floor=FLOOR) is None
    )


def _blocker(user, thread: Thread, active_bounty_id: int | None, amounts: tuple[int, ...],
             now: datetime) -> str | None:
    """Why `user` cannot offer a bounty on `thread` at all now, as a message (or None)."""
    error = silence_problem(user) or _offer_problem(thread, active_bounty_id,
                                                    _active_count(user.id), now)
    if error is not None:
        return error.message
    if not amounts:
        return bounty_rules.points_problem(bounty_rules.MIN_AMOUNT, points=user.points, floor=FLOOR)
    return None


def _lock_points(user_id: int) -> int:
    return db.session.scalar(
        select(User.points).where(User.id == user_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def _active_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Bounty)
        .where(Bounty.offered_by_id == user_id, Bounty.status == ACTIVE)
    )


def _active_bounty_id(thread_id: int) -> int | None:
    return db.session.scalar(select(Bounty.id).where(Bounty.active_thread_id == thread_id))


def _locked_bounty(bounty_id: int) -> Bounty:
    bounty = db.session.scalars(
        select(Bounty).where(Bounty.id == bounty_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if bounty is None:
        raise NotFound("We could not find that bounty.")
    return bounty


def _expiry_winner(bounty: Bounty) -> Post | None:
    answers = {
        post.id: post
        for post in db.session.scalars(
            select(Post).where(
                Post.thread_id == bounty.thread_id, ~Post.is_first, Post.deleted_at.is_(None)
            )
        )
    }
    winner = bounty_rules.expiry_winner(
        [bounty_rules.Candidate(p.id, p.author_id, p.score, p.created_at) for p in answers.values()],
        offerer_id=bounty.offered_by_id, started_at=bounty.started_at, ends_at=bounty.ends_at,
    )
    return answers[winner.post_id] if winner else None


def _refund(bounty: Bounty, now: datetime) -> None:
    """The whole amount back to the offerer, once (the ledger key), and the bounty ends
    unpaid."""
    ledger.award(bounty.offered_by_id, "bounty_refund", points=bounty.amount,
                 key=f"bounty:{bounty.id}:refund", uncapped=True, subject=bounty, at=now)
    _settle(bounty, EXPIRED, post=None, amount=0, actor_id=None, now=now)


def _settle(bounty: Bounty, status: str, *, post: Post | None, amount: int,
            actor_id: int | None, now: datetime) -> None:
    """Close the bounty, pay `amount` to `post`'s author (if any) and record what happened."""
    bounty.status = status
    bounty.active_thread_id = None
    bounty.settled_at = now
    bounty.awarded_post_id = post.id if post is not None else None
    bounty.awarded_amount = amount
    data = {"amount": bounty.amount, "thread_id": bounty.thread_id,
            "post_id": post.id if post is not None else None,
            "recipient_id": post.author_id if post is not None else None}
    if post is not None and amount:
        ledger.award(post.author_id, "bounty_awarded", points=amount,
                     key=f"bounty:{bounty.id}:awarded", uncapped=True, subject=bounty,
                     actor_id=actor_id, at=now)
        record("bounty_awarded", user=bounty.offered_by_id, subject=bounty, at=now,
               data={**data, "amount": amount, "offered": bounty.amount,
                     "automatic": status == EXPIRED})
    if status == EXPIRED:
        record("bounty_expired", user=bounty.offered_by_id, subject=bounty, at=now,
               data={**data, "awarded": amount})


def _featured_query(viewer, now: datetime, *, with_tags: bool = True):
    thread = joinedload(Bounty.thread)
    query = (
        select(Bounty)
        .join(Bounty.thread)
        .join(Thread.category)
        .where(Bounty.status == ACTIVE, Bounty.ends_at > now, Thread.deleted_at.is_(None))
        .options(thread.joinedload(Thread.category), joinedload(Bounty.offered_by))
        .order_by(Bounty.ends_at, Bounty.id)
    )
    if with_tags:
        query = query.options(thread.selectinload(Thread.tags))
    if not permissions.is_member(viewer):
        query = query.where(Category.member_only.is_(False))
    return query
