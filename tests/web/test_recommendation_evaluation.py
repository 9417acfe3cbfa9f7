"""`flask insights evaluate` on a time split, on hand-made data and on the demo seed."""

from datetime import timedelta

from app.insights.cli import insights_cli
from app.insights.evaluation import evaluate_recommendations
from app.insights.recommendations import refresh_recommendations
from app.insights.services import record
from app.seed.demo import build_demo
from app.seed.plan import plan_demo
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import make_user


def _runner(app):
    if "insights" not in app.cli.commands:
        app.cli.add_command(insights_cli)
    return app.test_cli_runner()


def test_co_read_thread_held_out_is_a_hit_for_cf_and_the_hybrid(app):
    category = make_category()
    author = make_user()
    first, second, third = (make_thread(author=author, category=category, title=title,
                                        tags=(tag,), created_at=utcnow() - timedelta(days=40))
                            for title, tag in (("Reading CSV files", "csv"),
                                               ("Writing parquet files", "parquet"),
                                               ("Unrelated gardening talk", "garden")))
    now = utcnow()
    train = now - timedelta(days=20)
    peers = [make_user() for _ in range(3)]
    for peer in peers:
        record("view", user=peer, subject=first, at=train)
        record("view", user=peer, subject=second, at=train)
    for _ in range(5):  # the gardening thread is the most popular one
        record("view", user=make_user(), subject=third, at=train)
    reader = make_user()
    record("view", user=reader, subject=first, at=train)
    record("view", user=reader, subject=second, at=now - timedelta(days=2))  # held out
    results = {r.model: r for r in evaluate_recommendations(now, holdout_days=14, k=1)}
    assert results["cf-only"].hit_rate == 1.0 and results["cf-only"].ndcg == 1.0
    assert results["hybrid"].hit_rate == 1.0
    assert results["popularity"].hit_rate == 0.0
    assert results["hybrid"].users == 1
    assert results["popularity"].coverage == 1 / 3


def test_the_command_prints_the_table_and_the_job_runs_on_the_demo_seed(app):
    now = utcnow().replace(microsecond=0)
    build_demo(plan_demo(users=30, threads=60, seed=7, now=now), now=now, seed=7)
    result = _runner(app).invoke(args=["insights", "evaluate", "--holdout-days", "14"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["model", "HitRate@10", "NDCG@10", "coverage", "users",
                                "evaluated"]
    assert [line.split()[0] for line in lines[1:]] == ["hybrid", "cf-only", "content-only",
                                                       "popularity"]
    counts = refresh_recommendations(utcnow())
    assert counts["users"] > 0 and counts["rows"] > counts["users"]
