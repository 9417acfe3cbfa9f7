"""The demo has competitions, played through the services: a running challenge set, a
running prediction contest and one that ended last month with its final results."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.competitions import lifecycle
from app.competitions.ground_truth import truth_info
from app.competitions.models import (
    Attempt,
    Competition,
    Entrant,
    FinalStanding,
    HintUnlock,
    Solve,
    Submission,
)
from app.competitions.standings import PRIVATE, get_standings
from app.extensions import db
from app.gamification import ledger
from app.gamification.models import BadgeAward, PointTransaction
from app.timeutil import utcnow

SMALL = ["seed", "demo", "--users", "40", "--threads", "30", "--seed", "7"]
PRIZES = {("challenge", "running"): [200, 100, 50], ("prediction", "running"): [250, 150, 100],
          ("prediction", "finalized"): [300, 150, 75]}


def seed(app):
    result = app.test_cli_runner().invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    return result


def by_status() -> dict[tuple[str, str], Competition]:
    now = utcnow()
    return {(c.kind, lifecycle.status(c, now)): c
            for c in db.session.scalars(select(Competition))}


def test_the_demo_has_a_running_challenge_set_a_running_contest_and_final_results(app):
    assert "3 competitions" in seed(app).output

    found = by_status()
    assert sorted(found) == [("challenge", "running"), ("prediction", "finalized"),
                             ("prediction", "running")]
    staff = db.session.scalars(select(User).filter_by(role=Role.ADMIN)).one()
    for key, prizes in PRIZES.items():
        assert [tier.points for tier in found[key].prizes][:3] == prizes
    for competition in found.values():
        assert len(get_standings(competition, None).rows) >= 3
        assert competition.created_at < competition.starts_at

    challenge_set = found[("challenge", "running")]
    challenges = challenge_set.challenges
    assert len(challenges) == 8 and len({c.category for c in challenges}) == 3
    assert {c.answer_mode for c in challenges} == {"exact", "case_insensitive", "regex"}
    assert any(c.scoring == "dynamic" for c in challenges) and any(c.first_blood
                                                                   for c in challenges)
    assert any(c.prerequisites for c in challenges)
    assert {h.cost > 0 for c in challenges for h in c.hints} == {True, False}
    assert _count(Attempt, ~Attempt.correct) > 0 and _count(HintUnlock) > 0
    solved = Counter(db.session.scalars(select(Solve.user_id)))
    assert max(solved.values()) >= 4 and min(solved.values()) == 1

    running = found[("prediction", "running")]
    assert (running.metric, running.public_fraction) == ("roc_auc", 0.3)
    assert truth_info(running).row_count == 2000
    private = get_standings(running, staff, board=PRIVATE)
    assert any(row.movement for row in private.rows)

    past = found[("prediction", "finalized")]
    assert past.metric == "rmse" and past.finalized_at >= past.ends_at
    standings = db.session.scalars(select(FinalStanding).filter_by(competition_id=past.id)
                                   .order_by(FinalStanding.rank)).all()
    assert len(standings) >= 3 and [s.prize_points for s in standings[:4]] == [300, 150, 75, 0]
    assert _count(PointTransaction, PointTransaction.reason == "competition_prize") == 3
    assert _count(BadgeAward, BadgeAward.badge == "champion") == 1
    assert ledger.find_discrepancies() == []


def test_demo_play_happened_inside_each_window_and_within_the_daily_limit(app):
    seed(app)

    now = utcnow()
    windows = {c.id: c for c in db.session.scalars(select(Competition))}
    joined = {(e.competition_id, e.user_id): e.joined_at for e in db.session.scalars(
        select(Entrant))}
    for row in db.session.scalars(select(Submission)):
        competition = windows[row.competition_id]
        assert competition.starts_at <= row.created_at < min(competition.ends_at, now)
        assert joined[(row.competition_id, row.user_id)] <= row.created_at
    for row in db.session.scalars(select(Solve)):
        assert windows[row.competition_id].starts_at <= row.solved_at < now
    per_day = Counter(db.session.execute(
        select(Submission.competition_id, Submission.user_id,
               func.date(Submission.created_at))).all())
    assert max(per_day.values()) <= 5
    created = dict(db.session.execute(select(User.id, User.created_at)).all())
    assert all(created[user_id] < at for (_, user_id), at in joined.items())


def test_the_competitions_page_lists_the_demo_competitions(app, client):
    if "competitions.index" not in app.view_functions:
        pytest.skip("The public competition pages are not written yet (no "
                    "'competitions.index' endpoint); this checks them once they are.")
    seed(app)

    page = client.get("/competitions")

    assert page.status_code == 200
    for competition in db.session.scalars(select(Competition)):
        assert competition.title.encode() in page.data


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
