"""`flask points ...` through the app's CLI runner."""

from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.forum import voting
from app.gamification import ledger
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import make_user


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["points", *args])


def _drift(user, points: int) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(points=points))
    db.session.commit()


def test_reconcile_on_a_clean_ledger_exits_zero(app):
    author = make_user(username="ada")
    voting.cast_vote(make_user(points=15), make_post(thread=make_thread(author=make_user()),
                                                        author=author).id, "up")
    result = _run(app, "reconcile")
    assert result.exit_code == 0, result.output
    assert "0 differences" in result.output


def test_reconcile_prints_each_difference_and_exits_one(app):
    ada, bob = make_user(username="ada", points=40), make_user(username="bob")
    _drift(ada, 45)
    _drift(bob, 0)

    result = _run(app, "reconcile")

    assert result.exit_code == 1
    assert "ada: cached 45, ledger 40 (+5)" in result.output
    assert "bob: cached 0, ledger 1 (-1)" in result.output
    assert "2 difference(s); run with --fix" in result.output
    assert db.session.scalar(select(User.points).where(User.id == ada.id)) == 45  # untouched


def test_reconcile_fix_repairs_the_cache_and_a_second_run_is_clean(app):
    ada = make_user(username="ada", points=40)
    _drift(ada, 45)

    fixed = _run(app, "reconcile", "--fix")
    again = _run(app, "reconcile")

    assert fixed.exit_code == 0 and "1 difference(s) fixed" in fixed.output
    assert again.exit_code == 0 and "0 differences" in again.output
    db.session.expire_all()
    assert db.session.get(User, ada.id).points == 40
    assert ledger.find_discrepancies() == []


def test_sweep_serial_votes_reports_and_is_idempotent(app):
    author, voter = make_user(), make_user(points=15)
    thread = make_thread(author=make_user())
    for _ in range(11):
        voting.cast_vote(voter, make_post(thread=thread, author=author).id, "up")

    first = _run(app, "sweep-serial-votes")
    second = _run(app, "sweep-serial-votes", "--days", "3")

    assert first.exit_code == 0, first.output
    assert "1 new finding(s); reversed the points of 11 vote(s), 110 point(s)" in first.output
    assert second.exit_code == 0 and second.output.startswith("0 new finding(s)")


def test_sweep_serial_votes_rejects_a_silly_lookback(app):
    result = _run(app, "sweep-serial-votes", "--days", "0")
    assert result.exit_code == 2 and "--days" in result.output


def test_sweep_badges_runs_the_badge_sweep(app, monkeypatch):
    from app.gamification import badge_awards

    monkeypatch.setattr(badge_awards, "sweep_badges", lambda: {"nice-answer": 2, "famous": 0})
    result = _run(app, "sweep-badges")
    assert result.exit_code == 0
    assert "nice-answer: 2" in result.output and "famous" not in result.output
    assert "2 badge(s) awarded." in result.output


def test_sweep_badges_on_real_data_awards_nothing_twice(app):
    make_thread(author=make_user())
    first = _run(app, "sweep-badges")
    second = _run(app, "sweep-badges")
    assert first.exit_code == second.exit_code == 0, first.output
    assert second.output.strip().endswith("0 badge(s) awarded.")


def test_expire_bounties_settles_nothing_when_none_are_due(app):
    result = _run(app, "expire-bounties")
    assert result.exit_code == 0, result.output
    assert "0 bounty(ies) settled." in result.output
