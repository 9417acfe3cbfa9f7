"""Closing and reopening questions by community vote.

People with the `close_vote` privilege (staff always) vote; `closing_rules` decides when
the votes take effect and with which reason. A round of votes ends when the question
closes (or reopens): every vote of that round is then spent (`CloseVote.spent_at`), so
each person votes once per question per round. The thread row is locked while a vote
is counted, so two last votes arriving together close the question once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.forum import permissions
from app.forum.errors import Conflict, ValidationError
from app.forum.models import Thread
from app.forum.thread_page import get_visible_thread
from app.gamification import closing_rules
from app.gamification.closing_rules import REASONS, VOTE_LIFETIME, VOTES_NEEDED, Ballot
from app.gamification.models import Bounty, CloseVote
from app.gamification.privileges import can, require
from app.insights.services import record
from app.moderation.audit import log_action
from app.moderation.restrictions import require_not_silenced, silence_problem
from app.timeutil import utcnow

CLOSE = "close"
REOPEN = "reopen"


@dataclass(frozen=True)
class VoteOutcome:
    thread: Thread
    took_effect: bool  # this vote closed (or reopened) the question
    votes: int  # live votes of this kind, this one included


def cast_close_vote(user, thread_id: int, *, reason: str | None, duplicate: str | None = None,
                    now: datetime | None = None) -> VoteOutcome:
    """Vote to close a question; the third live vote (or a staff vote) closes it."""
    now = now or utcnow()
    require_not_silenced(user)
    require(user, "close_vote")
    thread = _locked_question(user, thread_id)
    if thread.is_closed:
        raise Conflict("This question is already closed.")
    if _has_active_bounty(thread.id):
        raise Conflict("This question has a bounty running, so it cannot be closed until it ends.")
    _check_first_vote(user.id, thread.id, CLOSE)
    if reason not in REASONS:
        raise ValidationError("reason", "Choose why this question should be closed.")
    original = _original(user, thread, duplicate) if reason == "duplicate" else None

    vote = CloseVote(thread_id=thread.id, user_id=user.id, kind=CLOSE, reason=reason,
                     duplicate_of_id=original.id if original else None, created_at=now)
    db.session.add(vote)
    record("close_vote", user=user, subject=thread, at=now,
           data={"kind": CLOSE, "reason": reason, "duplicate_of_id": vote.duplicate_of_id})
    live = _live_votes(thread.id, CLOSE, now)
    took_effect = closing_rules.takes_effect(len(live), by_staff=user.is_staff)
    if took_effect:
        reason, duplicate_of_id = closing_rules.close_verdict(
            [_ballot(v) for v in live], decided_by=_ballot(vote) if user.is_staff else None
        )
        thread.closed_at, thread.close_reason = now, reason
        thread.duplicate_of_id = duplicate_of_id
        _spend(thread.id, CLOSE, now)
        record("close", user=user, subject=thread, at=now,
               data={"reason": reason, "duplicate_of_id": duplicate_of_id, "votes": len(live),
                     "by_staff": user.is_staff})
        if user.is_staff:
            log_action(user, "close_thread", target=thread, target_user=thread.author_id,
                       reason=reason, after={"closed": reason,
                                             "duplicate_of": duplicate_of_id}, at=now)
    db.session.commit()
    return VoteOutcome(thread, took_effect, len(live))


def cast_reopen_vote(user, thread_id: int, *, now: datetime | None = None) -> VoteOutcome:
    """Vote to reopen a closed question; the third live vote (or a staff vote) reopens it."""
    now = now or utcnow()
    require_not_silenced(user)
    require(user, "close_vote")
    thread = _locked_question(user, thread_id)
    if not thread.is_closed:
        raise Conflict("This question is open; there is nothing to reopen.")
    _check_first_vote(user.id, thread.id, REOPEN)

    db.session.add(CloseVote(thread_id=thread.id, user_id=user.id, kind=REOPEN, created_at=now))
    record("close_vote", user=user, subject=thread, at=now, data={"kind": REOPEN})
    live = _live_votes(thread.id, REOPEN, now)
    took_effect = closing_rules.takes_effect(len(live), by_staff=user.is_staff)
    if took_effect:
        previous = thread.close_reason
        thread.closed_at = thread.close_reason = thread.duplicate_of_id = None
        _spend(thread.id, REOPEN, now)
        record("reopen", user=user, subject=thread, at=now,
               data={"previous_reason": previous, "votes": len(live), "by_staff": user.is_staff})
        if user.is_staff:
            log_action(user, "reopen_thread", target=thread, target_user=thread.author_id,
                       before={"closed": previous}, after={"closed": None}, at=now)
    db.session.commit()
    return VoteOutcome(thread, took_effect, len(live))


def drop_pending_votes(thread_id: int) -> int:
    """Delete the unspent close and reopen votes on a thread that goes away (merged into
    another): they were about it alone. Spent votes stay as history. Never commits."""
    return db.session.execute(
        delete(CloseVote)
        .where(CloseVote.thread_id == thread_id, CloseVote.spent_at.is_(None))
        .execution_options(synchronize_session=False)
    ).rowcount or 0


@dataclass
class ClosePanel:
    """What the thread page shows about closing; at most two queries, none for most readers.

    `votes` counts the live votes of the kind that applies now: to close an open
    question, to reopen a closed one. `closers` are the people whose votes closed it.
    `blocker` says why a privileged viewer cannot vote now (silenced, a bounty running).
    """

    thread: Thread
    privileged: bool = False  # the viewer may vote to close and reopen
    votes: int = 0
    needed: int = VOTES_NEEDED
    my_vote: CloseVote | None = None
    closers: list[User] = field(default_factory=list)
    can_vote: bool = False
    blocker: str | None = None

    @property
    def kind(self) -> str:
        return REOPEN if self.thread.is_closed else CLOSE

    @property
    def notice(self) -> str:
        return closing_rules.notice_text(self.thread.close_reason)

    @property
    def my_reason(self) -> str:
        """How the viewer's close vote names its reason ('off-topic', 'a duplicate')."""
        return REASONS[self.my_vote.reason][1] if self.my_vote and self.my_vote.reason else ""

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return [(slug, label) for slug, (label, _) in REASONS.items()]


def close_panel(viewer, thread: Thread, *, bounty_running: bool | None = None,
                now: datetime | None = None) -> ClosePanel | None:
    """`bounty_running` saves a query when the caller already knows (None: look it up)."""
    if not thread.is_question:
        return None
    now = now or utcnow()
    privileged = can(viewer, "close_vote") and not thread.is_deleted
    panel = ClosePanel(thread=thread, privileged=privileged)
    if not (privileged or thread.is_closed):
        return panel
    closed_at = thread.closed_at
    rows = db.session.scalars(
        select(CloseVote)
        .where(
            CloseVote.thread_id == thread.id,
            or_(CloseVote.spent_at.is_(None),
                and_(CloseVote.kind == CLOSE, CloseVote.spent_at == closed_at)),
        )
        .options(joinedload(CloseVote.user))
        .order_by(CloseVote.created_at, CloseVote.id)
    ).all()
    kind = panel.kind
    for vote in rows:
        if vote.spent_at is None and vote.kind == kind:
            if closing_rules.is_live(vote.created_at, now):
                panel.votes += 1
            if privileged and vote.user_id == viewer.id:
                panel.my_vote = vote
        elif vote.spent_at is not None and closing_rules.is_live(vote.created_at, closed_at):
            panel.closers.append(vote.user)
    if privileged:
        if bounty_running is None:
            bounty_running = _has_active_bounty(thread.id)
        silenced = silence_problem(viewer)
        if silenced is not None:
            panel.blocker = silenced.message
        elif kind == CLOSE and bounty_running:
            panel.blocker = "This question has a bounty running, so it cannot be closed until it ends."
        panel.can_vote = panel.my_vote is None and panel.blocker is None
    return panel


def vote_page(user, thread_id: int) -> tuple[Thread, ClosePanel]:
    """The question of the close-vote page and its panel, for someone who may vote."""
    require(user, "close_vote")
    thread = get_visible_thread(user, thread_id)
    if not thread.is_question:
        raise Conflict("Only questions are closed and reopened; discussions stay open.")
    return thread, close_panel(user, thread)


# -- internals ---------------------------------------------------------------------


def _locked_question(user, thread_id: int) -> Thread:
    get_visible_thread(user, thread_id)
    thread = db.session.scalars(
        select(Thread).where(Thread.id == thread_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if not thread.is_question:
        raise Conflict("Only questions are closed and reopened; discussions stay open.")
    if thread.is_deleted:
        raise Conflict("This question was deleted.")
    return thread


def _check_first_vote(user_id: int, thread_id: int, kind: str) -> None:
    """One vote per person per question per round: a vote counts until the round ends."""
    voted = db.session.scalar(
        select(CloseVote.id).where(
            CloseVote.thread_id == thread_id, CloseVote.user_id == user_id,
            CloseVote.kind == kind, CloseVote.spent_at.is_(None),
        )
    )
    if voted is not None:
        raise Conflict(f"You already voted to {kind} this question.")


def _original(user, thread: Thread, text: str | None) -> Thread:
    """The live question `thread` duplicates, from its link or number."""
    original_id = closing_rules.parse_thread_ref(text)
    if original_id is None:
        raise ValidationError(
            "duplicate", "Paste the link (or the number) of the question this one duplicates."
        )
    if original_id == thread.id:
        raise ValidationError("duplicate", "A question cannot be a duplicate of itself.")
    original = db.session.get(Thread, original_id, options=[joinedload(Thread.category)])
    if original is None or original.is_deleted or not permissions.can_view(user, original.category):
        raise ValidationError("duplicate", "We could not find a live question with that link or number.")
    if not original.is_question:
        raise ValidationError("duplicate", "The original must be a question, not a discussion.")
    return original


def _live_votes(thread_id: int, kind: str, now: datetime) -> list[CloseVote]:
    db.session.flush()
    return list(db.session.scalars(
        select(CloseVote)
        .where(
            CloseVote.thread_id == thread_id, CloseVote.kind == kind,
            CloseVote.spent_at.is_(None), CloseVote.created_at > now - VOTE_LIFETIME,
        )
        .order_by(CloseVote.created_at, CloseVote.id)
    ))


def _spend(thread_id: int, kind: str, now: datetime) -> None:
    """End the round: this kind's votes, live or expired, never count again."""
    db.session.execute(
        update(CloseVote)
        .where(CloseVote.thread_id == thread_id, CloseVote.kind == kind,
               CloseVote.spent_at.is_(None))
        .values(spent_at=now)
        .execution_options(synchronize_session=False)
    )


def _has_active_bounty(thread_id: int) -> bool:
    return db.session.scalar(select(Bounty.id).where(Bounty.active_thread_id == thread_id)) is not None


def _ballot(vote: CloseVote) -> Ballot:
    return Ballot(vote.reason, vote.duplicate_of_id, vote.created_at)
