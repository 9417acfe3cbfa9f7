"""Leaderboards: who earned the most points over 7 days, 30 days or all time.

Every board reads the points ledger: a user's score is the sum of `delta` over their
`PointTransaction` rows since the period start (rolling windows in UTC: the last 7 or
30 days from now). All time without a tag reads the cached totals instead
(`User.points - 1`, which the reconcile job proves equal to the ledger sums), through an
index, so it does not sum the whole ledger on every view.

Ties go to whoever reached the score first: the time of the last row that changed their
sum in the period (`max(created_at)` over rows with a non-zero delta), earlier wins, then
the lower user id (all time uses `User.points_changed_at`, the same moment kept by the
ledger). Ranks are strict, so each position names exactly one person.

A tag board counts only points earned on posts (`subject_type == "post"`) in threads
with that tag. The rising board keeps people who joined in the last 90 days; since none
of their rows can be older than their account, its scan starts at that cutoff even on
the all-time tab. Hidden, suspended and deleted users, and anyone at or below 0 for the
period, never appear.

One query builds a page: the period's sums are grouped, filtered, numbered with
`row_number()` and counted with `count(*) over ()`, and the outer query keeps the page's
rows plus the viewer's own, so their rank costs nothing extra. The indexes on
`point_transaction` (`created_at, user_id, delta` for the windows, `user_id, created_at,
delta` for the tag boards, `user(points, points_changed_at)` for all time) cover
the scan, and the people no board lists come from a partial index of the few who might
be (`ix_user_unlisted`) rather than a join with every user; `bench/leaderboard.py`
times it at 100,000 users.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from app.accounts.models import MAYBE_UNLISTED, User
from app.extensions import db
from app.forum.models import Post, Tag, thread_tags
from app.gamification.levels import Level, level_for
from app.gamification.models import PointTransaction
from app.gamification.rules import STARTING_POINTS
from app.timeutil import utcnow
from app.web.pagination import Page

PER_PAGE = 50
PERIOD_DAYS: dict[str, int | None] = {"week": 7, "month": 30, "all": None}
PERIOD_LABELS = {"week": "7 days", "month": "30 days", "all": "All time"}
BOARDS = {"top": "Top", "rising": "Rising"}
RISING_DAYS = 90
DEFAULT_PERIOD = "week"
DEFAULT_BOARD = "top"
MAX_TAG_LENGTH = 35


@dataclass(frozen=True)
class BoardQuery:
    """Which board to show; unknown values fall back to the defaults."""

    period: str = DEFAULT_PERIOD
    board: str = DEFAULT_BOARD
    tag: str | None = None

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> "BoardQuery":
        period = args.get("period", DEFAULT_PERIOD)
        board = args.get("board", DEFAULT_BOARD)
        tag = (args.get("tag") or "").strip().lower()[:MAX_TAG_LENGTH] or None
        return cls(
            period=period if period in PERIOD_DAYS else DEFAULT_PERIOD,
            board=board if board in BOARDS else DEFAULT_BOARD,
            tag=tag,
        )

    @property
    def rising(self) -> bool:
        return self.board == "rising"

    def since(self, now: datetime) -> datetime | None:
        """Where the ledger scan starts: the period start, or the rising cutoff if later."""
        days = PERIOD_DAYS[self.period]
        starts = [now - timedelta(days=days)] if days is not None else []
        if self.rising:
            starts.append(self.joined_after(now))
        return max(starts, default=None)

    def joined_after(self, now: datetime) -> datetime:
        return now - timedelta(days=RISING_DAYS)

    def args(self, **changes) -> dict[str, str]:
        """Query arguments for a link to this board with some choices changed."""
        values = {"period": self.period, "board": self.board, "tag": self.tag, **changes}
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Standing:
    rank: int
    user: User
    points: int  # earned in the period

    @property
    def level(self) -> Level:
        return level_for(self.user.points)


@dataclass(frozen=True)
class Board:
    query: BoardQuery
    page: Page  # of Standing
    tag: Tag | None
    viewer: Standing | None  # the signed-in viewer's own place, when they have one
    viewer_hidden: bool

    @property
    def unknown_tag(self) -> bool:
        """A tag was asked for that does not exist (the page answers 404)."""
        return self.query.tag is not None and self.tag is None


def leaderboard(query: BoardQuery, viewer=None, *, page: int = 1, now: datetime | None = None,
                per_page: int = PER_PAGE) -> Board:
    """One page of a board and the viewer's own standing (one query; two with a tag).

    A page past the end costs one more query, to count the board for the pagination.
    """
    now = now or utcnow()
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    hidden = bool(viewer_id and viewer.hide_from_leaderboards)
    tag = None
    if query.tag:
        tag = db.session.scalar(select(Tag).where(Tag.name == query.tag))
        if tag is None:
            empty = Page(items=[], page=page, per_page=per_page, total=0)
            return Board(query, empty, None, viewer=None, viewer_hidden=hidden)
    ranked = _ranked(query, tag, now)
    first = (page - 1) * per_page + 1
    rows = db.session.execute(
        select(User, ranked.c.points, ranked.c.rank, ranked.c.total)
        .join(ranked, ranked.c.user_id == User.id)
        # Both conditions on the numbered rows, so only the page's people are joined.
        .where(or_(ranked.c.rank.between(first, first + per_page - 1),
                   ranked.c.user_id == viewer_id))
        .order_by(ranked.c.rank)
    ).all()
    standings = [Standing(rank, user, points) for user, points, rank, _ in rows]
    if rows:
        total = rows[0].total
    else:
        total = db.session.scalar(select(func.count()).select_from(ranked)) if page > 1 else 0
    mine = next((s for s in standings if s.user.id == viewer_id), None)
    on_page = [s for s in standings if s.rank >= first and s.rank < first + per_page]
    return Board(
        query=query,
        page=Page(items=on_page, page=page, per_page=per_page, total=total),
        tag=tag,
        viewer=mine,
        viewer_hidden=hidden,
    )


def _ranked(query: BoardQuery, tag: Tag | None, now: datetime):
    """Everyone listed on the board, numbered: user_id, points, rank, total."""
    pt = PointTransaction
    since = query.since(now)
    if since is None and tag is None:
        return _number(_cached_totals(), query, now)
    totals = select(
        pt.user_id.label("user_id"),
        func.sum(pt.delta).label("points"),
        func.max(pt.created_at).label("reached"),
    ).where(pt.delta != 0)
    if since is not None:
        totals = totals.where(pt.created_at >= since)
    if tag is not None:
        totals = (
            totals.join(Post, (pt.subject_type == "post") & (Post.id == pt.subject_id))
            .join(thread_tags, thread_tags.c.thread_id == Post.thread_id)
            .where(thread_tags.c.tag_id == tag.id)
        )
    totals = totals.group_by(pt.user_id).having(func.sum(pt.delta) > 0).subquery("totals")
    return _number(totals, query, now)


def _cached_totals():
    """All time without a tag: the cached totals (reconcile proves they equal the ledger),
    read through the (points, points_changed_at) index instead of summing every row."""
    return (
        select(
            User.id.label("user_id"),
            (User.points - STARTING_POINTS).label("points"),
            User.points_changed_at.label("reached"),
        )
        .where(User.points > STARTING_POINTS)
        .subquery("totals")
    )


def _number(totals, query: BoardQuery, now: datetime):
    """Rank the people in `totals` (user_id, points, reached) who may be listed."""
    order = (totals.c.points.desc(), totals.c.reached.asc(), totals.c.user_id.asc())
    listed = select(
        totals.c.user_id,
        totals.c.points,
        func.row_number().over(order_by=order).label("rank"),
        func.count().over().label("total"),
    ).where(totals.c.user_id.not_in(_unlisted(now)))
    if query.rising:
        listed = listed.where(totals.c.user_id.in_(
            select(User.id).where(User.created_at >= query.joined_after(now))))
    return listed.subquery("ranked")


def _unlisted(now: datetime):
    """Who no board lists: hidden, deleted or suspended right now. They are few, and the
    partial index `ix_user_unlisted` (whose condition is the first one here) finds them
    without reading every user."""
    return select(User.id).where(
        MAYBE_UNLISTED,
        or_(User.hide_from_leaderboards, User.deleted_at.is_not(None), User.suspended_until > now),
    )
