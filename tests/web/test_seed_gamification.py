"""The demo community shows the game (levels, badges, running bounties, lively boards) and
paying members, made through the test-mode checkout."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.billing.membership import has_paid_access
from app.billing.models import Subscription
from app.extensions import db
from app.gamification import ledger
from app.gamification.leaderboards import BoardQuery, leaderboard
from app.gamification.levels import level_for
from app.gamification.models import BadgeAward, Bounty

MEDIUM = ["seed", "demo", "--users", "40", "--threads", "100", "--seed", "7"]


def test_the_demo_has_levels_badges_bounties_boards_and_members(app, client):
    result = app.test_cli_runner().invoke(args=MEDIUM)
    assert result.exit_code == 0, result.output
    assert "4 bounties" in result.output and "3 paying members" in result.output

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

    members = db.session.scalars(select(Subscription.user_id)).all()
    assert len(members) == 3 and all(has_paid_access(user_id) for user_id in members)
    assert db.session.scalar(select(func.count()).select_from(BadgeAward).where(
        BadgeAward.badge == "patron")) == 3
