"""The points ledger: the only code that writes `PointTransaction` rows or `User.points`.

Every function here works inside the caller's transaction and never commits: points
land together with the vote, accept or edit that earned them, or not at all.

Concurrency: before a user's points change, their user row is locked (`FOR NO KEY
UPDATE` on PostgreSQL; SQLite serialises writers anyway), so the daily cap and the floor
are computed from a total no other transaction is changing, and the total moves by an
SQL expression. A happening that moves several totals locks them first, in id order
(`lock_users`), so two transactions never wait for each other. Idempotency keys are unique, so an award replayed for the same cause is a
no-op, and `reverses_id` is unique, so nothing is undone twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm.util import identity_key

from app.accounts.models import User
from app.database import subject_ref
from app.extensions import db
from app.forum.savepoint import insert_once
from app.gamification import levels
from app.gamification.models import PointTransaction
from app.gamification.rules import (
    EDIT_POINTS_CAP,
    RULES,
    STARTING_POINTS,
    VOTE_CAPPED_REASONS,
    capped_delta,
)
from app.timeutil import utcnow


def award(
    user_id: int,
    reason: str,
    *,
    key: str,
    points: int | None = None,
    subject=None,
    actor_id: int | None = None,
    at: datetime | None = None,
    uncapped: bool = False,
) -> PointTransaction | None:
    """Write one ledger row for `reason` (its rule's points unless `points` is given).

    Returns the new row, or None when `key` was already used (a replay). The daily vote
    cap and the floor may trim the change, even to 0; the row is written anyway so the
    history shows it and an undo knows there is nothing to give back. `uncapped` skips
    the daily cap (imports, staff adjustments); the floor always holds.
    """
    rule = RULES[reason]
    requested = rule.points if points is None else points
    at = at or utcnow()
    if key_used(key):
        return None
    total = _lock_total(user_id)
    delta = capped_delta(
        requested,
        total=total,
        vote_points_today=_vote_points_on(user_id, at) if rule.vote_capped else 0,
        vote_capped=rule.vote_capped and not uncapped,
    )
    subject_type, subject_id = subject_ref(subject)
    row = PointTransaction(
        user_id=user_id,
        delta=delta,
        requested=requested,
        reason=reason,
        subject_type=subject_type,
        subject_id=subject_id,
        actor_id=actor_id,
        key=key,
        created_at=at,
    )
    if not insert_once(row):
        return None
    _move_total(user_id, total, delta, at)
    return row


def reverse(
    row: PointTransaction, *, at: datetime | None = None, reason: str | None = None
) -> PointTransaction | None:
    """Cancel `row` with a new row of the opposite sign (trimmed by the floor if need be).

    Returns None if `row` was already reversed. The reversal keeps the original's reason,
    so the daily vote cap nets out: a vote taken back frees its share of the cap. A
    `reason` of its own (fair play's) shows why on the history page and frees nothing.
    """
    at = at or utcnow()
    if db.session.scalar(
        select(PointTransaction.id).where(PointTransaction.reverses_id == row.id)
    ):
        return None
    total = _lock_total(row.user_id)
    delta = capped_delta(-row.delta, total=total, vote_points_today=0, vote_capped=False)
    reversal = PointTransaction(
        user_id=row.user_id,
        delta=delta,
        requested=-row.delta,
        reason=reason or row.reason,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        actor_id=row.actor_id,
        key=f"reverse:{row.id}",
        reverses_id=row.id,
        created_at=at,
    )
    if not insert_once(reversal):
        return None
    _move_total(row.user_id, total, delta, at)
    return reversal


def standing_rows(
    *,
    subject=None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    reasons=None,
    actor_id: int | None = None,
    user_id: int | None = None,
) -> list[PointTransaction]:
    """Rows about a subject that are in force: not reversals and not yet reversed."""
    reversed_ids = select(PointTransaction.reverses_id).where(
        PointTransaction.reverses_id.is_not(None)
    )
    query = select(PointTransaction).where(
        PointTransaction.reverses_id.is_(None),
        PointTransaction.id.not_in(reversed_ids),
    )
    if subject is not None:
        subject_type, subject_id = subject_ref(subject)
    if subject_type is not None:
        query = query.where(
            PointTransaction.subject_type == subject_type,
            PointTransaction.subject_id == subject_id,
        )
    if reasons is not None:
        query = query.where(PointTransaction.reason.in_(list(reasons)))
    if actor_id is not None:
        query = query.where(PointTransaction.actor_id == actor_id)
    if user_id is not None:
        query = query.where(PointTransaction.user_id == user_id)
    return list(db.session.scalars(query.order_by(PointTransaction.id)))


def edit_points_so_far(user_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(PointTransaction.delta), 0)).where(
            PointTransaction.user_id == user_id, PointTransaction.reason == "edit_approved"
        )
    )


def edit_points_left(user_id: int) -> int:
    return max(0, EDIT_POINTS_CAP - edit_points_so_far(user_id))


def lock_users(*user_ids: int | None) -> None:
    """Lock the totals one happening will move, in id order, before moving any of them.

    Two people voting on each other at the same moment would otherwise lock the same two
    rows in opposite orders (author, then voter's first activity) and deadlock. The lock
    is `FOR NO KEY UPDATE`, which rows merely referring to a user (votes, events) do not
    wait for.
    """
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if ids:
        db.session.execute(
            select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update(key_share=True)
        )


def key_used(key: str) -> bool:
    """Whether an award with this idempotency key was already written."""
    return db.session.scalar(select(PointTransaction.id).where(PointTransaction.key == key)) is not None


@dataclass(frozen=True)
class Discrepancy:
    user_id: int
    username: str
    cached: int
    ledger: int

    @property
    def difference(self) -> int:
        return self.cached - self.ledger


def find_discrepancies() -> list[Discrepancy]:
    """Users whose cached total differs from STARTING_POINTS plus their ledger sum."""
    sums = (
        select(PointTransaction.user_id, func.sum(PointTransaction.delta).label("total"))
        .group_by(PointTransaction.user_id)
        .subquery()
    )
    expected = STARTING_POINTS + func.coalesce(sums.c.total, 0)
    rows = db.session.execute(
        select(User.id, User.username, User.points, expected)
        .outerjoin(sums, sums.c.user_id == User.id)
        .where(User.points != expected)
        .order_by(User.id)
    )
    return [Discrepancy(id_, name, cached, ledger) for id_, name, cached, ledger in rows]


def reconcile(*, fix: bool = False) -> list[Discrepancy]:
    """Prove each cached total equals its ledger; with `fix`, set the cache to the ledger.

    The ledger is the truth: fixing never writes ledger rows, it only repairs the cache.
    Commits when it fixed something. Ready for a scheduled job.
    """
    found = find_discrepancies()
    if fix and found:
        for d in found:
            db.session.execute(
                update(User)
                .where(User.id == d.user_id)
                .values(points=d.ledger)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    return found


# -- internals ---------------------------------------------------------------------


def _lock_total(user_id: int) -> int:
    return db.session.scalar(
        select(User.points)
        .where(User.id == user_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )


def _move_total(user_id: int, before: int, delta: int, at: datetime) -> None:
    if delta == 0:
        return
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            points=User.points + delta,
            # The latest time the total moved: the all-time board's tie-break.
            points_changed_at=case(
                (or_(User.points_changed_at.is_(None), User.points_changed_at < at), at),
                else_=User.points_changed_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    user = db.session.identity_map.get(identity_key(User, user_id))
    if user is not None:
        db.session.refresh(user, ["points", "points_changed_at"])
    _announce_milestones(user_id, before, before + delta, at)


def _announce_milestones(user_id: int, before: int, after: int, at: datetime) -> None:
    """Record level-ups and new privileges the first time a user ever reaches them."""
    from app.insights.models import Event
    from app.insights.services import record

    new_levels, new_privileges = levels.crossed(before, after)
    if not (new_levels or new_privileges):
        return
    seen = db.session.execute(
        select(Event.type, Event.data).where(
            Event.user_id == user_id, Event.type.in_(("level_up", "privilege_unlocked"))
        )
    ).all()
    seen_levels = {data.get("level") for type, data in seen if type == "level_up"}
    seen_privileges = {data.get("privilege") for type, data in seen if type == "privilege_unlocked"}
    for level in new_levels:
        if level.number > 1 and level.number not in seen_levels:
            record("level_up", user=user_id, data={"level": level.number, "name": level.name}, at=at)
    for privilege in new_privileges:
        if privilege.slug not in seen_privileges:
            record(
                "privilege_unlocked",
                user=user_id,
                data={"privilege": privilege.slug, "name": privilege.name},
                at=at,
            )


def _vote_points_on(user_id: int, at: datetime) -> int:
    """Net points from votes already booked on `at`'s UTC day (reversals included)."""
    start = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return db.session.scalar(
        select(func.coalesce(func.sum(PointTransaction.delta), 0)).where(
            PointTransaction.user_id == user_id,
            PointTransaction.reason.in_(VOTE_CAPPED_REASONS),
            PointTransaction.created_at >= start,
            PointTransaction.created_at < start + timedelta(days=1),
        )
    )
