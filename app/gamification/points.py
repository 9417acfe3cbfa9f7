"""Points from what happens in the forum: event handlers that apply the rules table.

Each handler runs inside the transaction that recorded the event (see
`app.insights.services.subscribe`), so a vote and its points commit together. Keys are
built from the event id, so a replayed event never pays twice; undoing looks up the rows
still in force for the subject and reverses them.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post, Vote
from app.forum.savepoint import insert_once
from app.gamification import ledger
from app.gamification.models import ActivityDay
from app.gamification.rules import STREAK_BONUS_EVERY, edit_delta, vote_reasons
from app.gamification.streaks import streak_ending
from app.insights.models import Event
from app.insights.services import subscribe

VOTE_REASONS = (
    "question_upvoted", "answer_upvoted", "reply_upvoted", "post_downvoted", "downvoted_answer"
)
ACCEPT_REASONS = ("answer_accepted", "accepted_answer")
ACTIVE_EVENTS = ("ask", "answer", "reply", "vote", "lesson_completed")


def post_kind(post: Post) -> str:
    if post.is_first:
        return "question"
    return "answer" if post.thread.is_question else "reply"


@subscribe("vote", "unvote")
def on_vote(event: Event) -> None:
    """A new, changed or withdrawn vote: reverse what this voter's vote earned, then pay anew.

    A vote event seen again (a replay) finds its own key in the ledger and changes
    nothing; otherwise it would undo its own points and then find the key taken.
    """
    post = db.session.get(Post, event.subject_id) if event.subject_id else None
    voter_id = event.user_id
    if post is None or voter_id is None or voter_id == post.author_id:
        return  # no points from voting on yourself
    ledger.lock_users(post.author_id, voter_id)
    key = f"event:{event.id}"
    if event.type == "vote":
        (_, author_reason), *_ = vote_reasons(post_kind=post_kind(post), value=event.data["value"])
        if ledger.key_used(f"{key}:{author_reason}"):
            return
    for row in ledger.standing_rows(subject=post, reasons=VOTE_REASONS, actor_id=voter_id):
        ledger.reverse(row, at=event.created_at)
    if event.type == "vote":
        _pay_vote(post, voter_id, event.data["value"], key=key, at=event.created_at)


def _pay_vote(post: Post, voter_id: int, value: int, *, key: str, at: datetime) -> None:
    for who, reason in vote_reasons(post_kind=post_kind(post), value=value):
        ledger.award(
            post.author_id if who == "author" else voter_id,
            reason,
            key=f"{key}:{reason}",
            subject=post,
            actor_id=voter_id,
            at=at,
        )


@subscribe("accept", "unaccept")
def on_accept(event: Event) -> None:
    """Moving the accept mark reverses the old answer's accept points and pays the new one."""
    post = db.session.get(Post, event.subject_id)
    stale = [event.data.get("previous")] if event.type == "accept" else [event.subject_id]
    stale = [post_id for post_id in stale if post_id]
    ledger.lock_users(
        event.user_id,
        post.author_id if post is not None else None,
        *db.session.scalars(select(Post.author_id).where(Post.id.in_(stale))),
    )
    for post_id in stale:
        for row in ledger.standing_rows(
            subject_type="post", subject_id=post_id, reasons=ACCEPT_REASONS
        ):
            ledger.reverse(row, at=event.created_at)
    if event.type == "accept" and post is not None:
        _pay_accept(post, asker_id=event.user_id, key=f"event:{event.id}", at=event.created_at)


def _pay_accept(post: Post, *, asker_id: int, key: str, at: datetime) -> None:
    if post.author_id == asker_id:
        return  # nothing for accepting your own answer
    ledger.award(post.author_id, "answer_accepted", key=f"{key}:answer_accepted",
                 subject=post, actor_id=asker_id, at=at)
    ledger.award(asker_id, "accepted_answer", key=f"{key}:accepted_answer",
                 subject=post, actor_id=asker_id, at=at)


@subscribe("edit")
def on_edit(event: Event) -> None:
    """Editing someone else's post pays +2, once per post and editor, up to the lifetime cap."""
    post = db.session.get(Post, event.subject_id)
    editor_id = event.user_id
    if post is None or editor_id is None or editor_id == post.author_id:
        return
    points = edit_delta(edit_points_so_far=ledger.edit_points_so_far(editor_id))
    if points:
        ledger.award(editor_id, "edit_approved", key=f"edit:{post.id}:{editor_id}",
                     points=points, subject=post, actor_id=editor_id, at=event.created_at)


@subscribe("delete")
def on_delete(event: Event) -> None:
    """A deleted post (or thread, through its opening post) takes its points with it."""
    rows = [
        row
        for post in _affected_posts(event.subject_id)
        for row in ledger.standing_rows(subject=post, reasons=VOTE_REASONS + ACCEPT_REASONS)
    ]
    ledger.lock_users(*(row.user_id for row in rows))
    for row in rows:
        ledger.reverse(row, at=event.created_at)


@subscribe("undelete")
def on_undelete(event: Event) -> None:
    """Bring back what the votes and the accept mark on the restored posts are worth."""
    posts = [
        post for post in _affected_posts(event.subject_id)
        if not (post.is_deleted or post.thread.is_deleted)
    ]
    votes = list(db.session.scalars(select(Vote).where(Vote.post_id.in_([p.id for p in posts]))))
    ledger.lock_users(
        *(p.author_id for p in posts), *(p.thread.author_id for p in posts),
        *(v.user_id for v in votes),
    )
    for post in posts:
        for vote in (v for v in votes if v.post_id == post.id):
            if vote.user_id != post.author_id:
                _pay_vote(post, vote.user_id, vote.value,
                          key=f"event:{event.id}:vote{vote.id}", at=event.created_at)
        if post.thread.accepted_post_id == post.id:
            _pay_accept(post, asker_id=post.thread.author_id,
                        key=f"event:{event.id}:accept{post.id}", at=event.created_at)


def _affected_posts(post_id: int) -> list[Post]:
    post = db.session.get(Post, post_id)
    if post is None:
        return []
    if not post.is_first:
        return [post]
    return list(db.session.scalars(select(Post).where(Post.thread_id == post.thread_id)))


@subscribe(*ACTIVE_EVENTS)
def on_activity(event: Event) -> None:
    """Mark the day active in the user's time zone; the day's first action pays +1 and
    each completed 7-day streak pays the streak bonus."""
    user = db.session.get(User, event.user_id) if event.user_id else None
    if user is None:
        return
    day = local_day(event.created_at, user.timezone)
    if not _mark_active(user.id, day):
        return
    ledger.award(user.id, "daily_activity", key=f"daily:{user.id}:{day.isoformat()}",
                 at=event.created_at)
    recent = db.session.scalars(
        select(ActivityDay.day).where(
            ActivityDay.user_id == user.id, ActivityDay.day <= day
        ).order_by(ActivityDay.day.desc()).limit(400)
    )
    length = streak_ending(recent, day)
    if length and length % STREAK_BONUS_EVERY == 0:
        ledger.award(user.id, "streak", key=f"streak:{user.id}:{day.isoformat()}",
                     at=event.created_at)


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day a naive-UTC `moment` falls on in `timezone` (UTC if unknown)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def _mark_active(user_id: int, day: date) -> bool:
    """Count an action on `day`; True when it is the day's first."""
    existing = db.session.scalars(
        select(ActivityDay).where(ActivityDay.user_id == user_id, ActivityDay.day == day)
    ).first()
    if existing is not None:
        existing.actions += 1
        return False
    # False too when a concurrent first action of the day won the unique key.
    return insert_once(ActivityDay(user_id=user_id, day=day, actions=1))
