"""The leaderboard benchmark's data, and the boards read from it against a plain count.

The data is written straight into the tables (as the benchmark does), so this also keeps
the generator in step with the schema; the boards are checked against sums worked out
here in Python, row by row, with the same exclusions and tie-break.
"""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.gamification import leaderboards
from app.gamification.models import PointTransaction
from bench.leaderboard_data import Sizes, generate

NOW = datetime(2026, 6, 1, 12, 0)
SIZES = Sizes(users=300, rows=3000, tags=4, threads=40, answers_per_thread=2)


@pytest.fixture
def made(app):
    made = generate(db.session.connection(), SIZES, now=NOW)
    db.session.commit()
    return made


def _expected(*, days: int | None, rising: bool = False) -> list[tuple[int, int]]:
    """(user id, points) in board order, summed here from every ledger row."""
    users = {u.id: u for u in db.session.scalars(select(User))}
    since = NOW - timedelta(days=days) if days else None
    points: dict[int, int] = {}
    reached: dict[int, datetime] = {}
    for row in db.session.scalars(select(PointTransaction)):
        if row.delta == 0 or (since is not None and row.created_at < since):
            continue
        points[row.user_id] = points.get(row.user_id, 0) + row.delta
        reached[row.user_id] = max(reached.get(row.user_id, row.created_at), row.created_at)

    joined_after = NOW - timedelta(days=leaderboards.RISING_DAYS)

    def listed(user_id: int) -> bool:
        user = users[user_id]
        return (points[user_id] > 0 and not user.hide_from_leaderboards
                and user.deleted_at is None
                and (user.suspended_until is None or user.suspended_until <= NOW)
                and (not rising or user.created_at >= joined_after))

    ranked = sorted((u for u in points if listed(u)), key=lambda u: (-points[u], reached[u], u))
    return [(u, points[u]) for u in ranked]


def _board(**args) -> list[tuple[int, int]]:
    board = leaderboards.leaderboard(leaderboards.BoardQuery.parse(args), now=NOW,
                                     per_page=SIZES.users)
    assert [s.rank for s in board.page.items] == list(range(1, len(board.page.items) + 1))
    return [(s.user.id, s.points) for s in board.page.items]


def test_the_generator_fills_what_it_says(made):
    assert made.users == SIZES.users
    assert db.session.scalar(select(db.func.count()).select_from(PointTransaction)) == SIZES.rows
    unlisted = db.session.scalars(select(User).where(
        User.hide_from_leaderboards | User.deleted_at.is_not(None)
        | User.suspended_until.is_not(None))).all()
    assert unlisted, "a few people are hidden, suspended or deleted"


@pytest.mark.parametrize(("period", "days"), [("week", 7), ("month", 30)])
def test_window_boards_equal_the_ledger_summed_by_hand(made, period, days):
    expected = _expected(days=days)
    assert len(expected) > 20
    assert _board(period=period) == expected
    assert _board(period=period, board="rising") == _expected(days=days, rising=True)


def test_the_all_time_board_equals_the_ledger_summed_by_hand(made):
    # All time reads the cached totals, which the generator sets to 1 + each sum. It
    # leaves `points_changed_at` unset, so ties fall to the lower id.
    expected = sorted(_expected(days=None), key=lambda row: (-row[1], row[0]))
    assert _board(period="all") == expected
