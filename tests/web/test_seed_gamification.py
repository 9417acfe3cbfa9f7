"""The demo community shows the game: levels, badges, running bounties, lively boards."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.gamification import ledger
from app.gamification.leaderboards import BoardQuery, leaderboard
from app.gamification.levels import level_for
from app.gamification.models import BadgeAward, Bounty

MEDIUM = ["seed", "demo", "--users", "40", "--threads", "100", "--seed", "7"]


def test_the_demo_has_levels_badges_bounties_and_boards(app, client):
    result = app.test_cli_runner().invoke(args=MEDIUM)
    assert result.exit_code == 0, result.output
    assert "4 bounties" in result.output

    assert ledger.find_discrepancies() == []
    levels = {level_for(points).number for points in db.session.scalars(select(User.points))}
    assert len(levels) >= 3
    assert db.session.scalar(select(func.count(func.distinct(BadgeAward.badge)))) >= 5

    statuses = sorted(db.session.scalars(select(Bounty.status)))
    assert statuses == ["active", "active", "active", "awarded"]
    awarded = db.session.scalars(select(Bounty).filter_by(status="awarded")).one()
    assert awarded.awarded_post_id is not None

    week = leaderboard(BoardQuery(period="week"))
    assert len(week.page.items) >= 5
    assert client.get("/bounties").data.count(b'class="bounty-pill"') == 3
