"""What a person's points mean: their ledger as a history, and the privileges they hold.

Reads only. The history loads a page of ledger rows and then each kind of subject in one
query (posts with their threads, bounties with theirs), so a page costs the same few
queries however many rows it shows.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forum import permissions
from app.forum.models import Post, Thread
from app.gamification import levels
from app.gamification.models import Bounty, PointTransaction
from app.gamification.privileges import can
from app.gamification.rules import RULES
from app.web.pagination import Page, paginate

HISTORY_PER_PAGE = 30


@dataclass(frozen=True)
class HistoryEntry:
    row: PointTransaction
    label: str
    capped: bool  # the daily cap or the floor trimmed what the rule asked for
    post: Post | None  # what caused it, when it is a post the viewer may open
    thread: Thread | None  # the thread to link (a post's, or a bounty's)
    hidden: bool  # caused by something the viewer may not see (deleted, members only)


def points_history(user, viewer, *, page: int) -> Page:
    """`user`'s ledger rows, newest first, as HistoryEntry items of a Page."""
    query = (
        select(PointTransaction)
        .where(PointTransaction.user_id == user.id)
        .order_by(PointTransaction.created_at.desc(), PointTransaction.id.desc())
    )
    rows = paginate(query, page=page, per_page=HISTORY_PER_PAGE)
    posts = _load(Post, rows.items, "post", joinedload(Post.thread).joinedload(Thread.category))
    bounties = _load(
        Bounty, rows.items, "bounty", joinedload(Bounty.thread).joinedload(Thread.category)
    )
    entries = [_entry(row, viewer, posts, bounties) for row in rows.items]
    return Page(items=entries, page=rows.page, per_page=rows.per_page, total=rows.total)


def label_for(row: PointTransaction) -> str:
    rule = RULES.get(row.reason)
    label = rule.label if rule else row.reason.replace("_", " ").capitalize()
    if row.is_reversal and row.reason != "serial_vote_reversal":
        return f"reversed: {label}"
    return label


@dataclass(frozen=True)
class PrivilegeStanding:
    privilege: levels.Privilege
    held: bool
    percent: int  # of the way from 0 to the threshold
    points_to_go: int


@dataclass(frozen=True)
class Overview:
    privileges: list[PrivilegeStanding]
    progress: levels.Progress | None  # None for anonymous viewers
    staff: bool


def privilege_overview(viewer) -> Overview:
    """Every privilege with the viewer's distance to it; staff hold them all."""
    signed_in = viewer is not None and viewer.is_authenticated
    total = viewer.points if signed_in else 0
    standings = [
        PrivilegeStanding(
            privilege=p,
            held=signed_in and can(viewer, p.slug),
            percent=min(100, max(0, total) * 100 // p.points),
            points_to_go=max(0, p.points - total),
        )
        for p in levels.PRIVILEGES
    ]
    return Overview(
        privileges=standings,
        progress=levels.progress(total) if signed_in else None,
        staff=signed_in and viewer.is_staff,
    )


# -- internals ---------------------------------------------------------------------


def _load(model, rows, subject_type: str, *options) -> dict:
    ids = {r.subject_id for r in rows if r.subject_type == subject_type and r.subject_id}
    if not ids:
        return {}
    found = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {obj.id: obj for obj in found}


def _entry(row: PointTransaction, viewer, posts: dict, bounties: dict) -> HistoryEntry:
    post = posts.get(row.subject_id) if row.subject_type == "post" else None
    bounty = bounties.get(row.subject_id) if row.subject_type == "bounty" else None
    thread = post.thread if post is not None else bounty.thread if bounty is not None else None
    visible = thread is not None and permissions.can_view_thread(viewer, thread)
    if post is not None and post.is_deleted:
        visible = visible and permissions.can_read_deleted(viewer, post)
    return HistoryEntry(
        row=row,
        label=label_for(row),
        capped=row.delta != row.requested,
        post=post if visible else None,
        thread=thread if visible else None,
        hidden=thread is not None and not visible,
    )
