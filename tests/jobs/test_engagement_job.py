"""The engagement job end to end on a real database: scores stored per user and day,
re-runs replace the day, a failed run leaves the previous results, the read helpers."""

import math
from datetime import datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from app.extensions import db
from app.insights import engagement_refresh
from app.insights.engagement_queries import (
    latest_engagement,
    latest_run,
    run_personas,
    segment_sizes,
    users_in_segments,
)
from app.insights.models import Event
from app.insights.models.engagement import EngagementRun, EngagementScore, Persona
from app.insights.services import record
from app.timeutil import utcnow
from jobs.context import JobContext
from jobs.engagement import engagement
from jobs.registry import _registry
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import make_user

AS_OF = datetime(2026, 3, 10, 2, 0)


def _member(name: str, *, joined_days_ago: float = 200, **kwargs):
    user = make_user(username=name, **kwargs)
    user.created_at = AS_OF - timedelta(days=joined_days_ago)
    db.session.commit()
    return user


def _at(days_ago: float) -> datetime:
    return AS_OF - timedelta(days=days_ago)


@pytest.fixture
def community(app):
    """A writer whose answer is upvoted and accepted, a reader, a learner, a lapsed member,
    a newcomer, and two who must not be scored (deleted, opted out)."""
    people = {name: _member(name) for name in ("writer", "asker", "reader", "learner", "lapsed")}
    people["newcomer"] = _member("newcomer", joined_days_ago=3)
    people["gone"] = _member("gone")
    people["gone"].deleted_at = utcnow()
    people["private"] = _member("private")
    people["private"].personalise = False
    thread = make_thread(author=people["asker"])
    answer = make_post(thread=thread, author=people["writer"])
    record("ask", user=people["asker"], subject=thread, data={"kind": "question"}, at=_at(2))
    for day in (1, 3, 5):
        record("answer", user=people["writer"], subject=answer,
               data={"thread_id": thread.id, "reply_to": None}, at=_at(day))
    for voter, value in (("asker", 1), ("reader", -1)):
        record("vote", user=people[voter], subject=answer, data={"value": value, "previous": 0},
               at=_at(1))
    record("accept", user=people["asker"], subject=answer, data={"thread_id": thread.id}, at=_at(1))
    record("vote", user=people["writer"], subject=answer, data={"value": 1, "previous": 0},
           at=_at(1))  # one's own vote counts for nothing
    record("vote", user=people["writer"], subject=first_post(thread),
           data={"value": 1, "previous": 0}, at=_at(40))
    for day in range(0, 60, 3):
        record("view", user=people["reader"], subject=thread, at=_at(day))
    record("course_enrolled", user=people["learner"], at=_at(4))
    for day in (0, 1, 2):
        record("lesson_completed", user=people["learner"], data={"course_id": 1}, at=_at(day))
    record("login", user=people["lapsed"], at=_at(45))
    record("login", user=people["newcomer"], at=_at(2))
    record("login", user=people["gone"], at=_at(1))
    record("login", user=people["private"], at=_at(1))
    record("answer", user=people["writer"], subject=answer, at=AS_OF + timedelta(hours=1))  # future
    db.session.commit()
    return people


def _rows():
    return {row.user_id: row for row in db.session.scalars(
        select(EngagementScore).where(EngagementScore.day == AS_OF.date()))}


def test_scores_segments_and_risk_are_stored_for_every_member(community):
    counts = engagement_refresh.refresh_engagement(AS_OF)
    rows = _rows()
    ids = {name: user.id for name, user in community.items()}
    scored = ("writer", "asker", "reader", "learner", "lapsed", "newcomer")
    assert set(rows) == {ids[name] for name in scored}
    assert counts["users"] == 6
    by_name = {name: rows[i] for name, i in ids.items() if i in rows}
    # An upvote and an accept yesterday; the downvote and the writer's own vote earn nothing.
    assert by_name["writer"].reception == round(1 - math.exp(-4 * 0.5 ** (1 / 14) / 6), 4)
    assert by_name["asker"].reception == round(1 - math.exp(-(0.5 ** (40 / 14)) / 6), 4)
    assert by_name["writer"].contribution == round(
        1 - math.exp(-1.5 * sum(0.5 ** (d / 14) for d in (1, 3, 5)) / 4), 4)
    assert by_name["reader"].contribution == 0 and by_name["reader"].frequency > 0
    assert by_name["learner"].learning > 0
    assert by_name["writer"].score > by_name["reader"].score > by_name["lapsed"].score
    assert by_name["lapsed"].segment == "dormant"
    assert by_name["lapsed"].churn_risk == 1.0
    assert by_name["newcomer"].segment == "new"
    assert by_name["reader"].segment == "loyal"  # a view every three days for two months
    assert by_name["learner"].segment == "active"
    assert all(0 <= row.score <= 100 and 0 <= row.churn_risk <= 1 for row in rows.values())
    run = latest_run()
    assert (run.day, run.users, run.churn_model) == (AS_OF.date(), 6, "rules")
    assert "training rows" in run.churn_note
    assert run.churn_auc is None
    assert counts["segment_dormant"] == 1 and counts["segment_new"] == 1


def test_rerunning_a_day_replaces_its_rows(community):
    engagement_refresh.refresh_engagement(AS_OF)
    first = {user_id: row.score for user_id, row in _rows().items()}
    thread = make_thread(author=community["asker"])
    record("answer", user=community["reader"], subject=first_post(thread), at=_at(0.5))
    db.session.commit()
    engagement_refresh.refresh_engagement(AS_OF + timedelta(hours=1))
    assert db.session.scalar(select(func.count()).select_from(EngagementScore)) == len(first)
    assert db.session.scalar(select(func.count()).select_from(EngagementRun)) == 1
    assert _rows()[community["reader"].id].score > first[community["reader"].id]


def test_a_failed_run_leaves_the_previous_results(community, monkeypatch):
    engagement_refresh.refresh_engagement(AS_OF)
    before = {user_id: row.score for user_id, row in _rows().items()}

    real_insert = engagement_refresh.insert_in_batches

    def fail_after_writing(model, rows, **kwargs):
        real_insert(model, rows, **kwargs)
        if model is EngagementScore:
            raise RuntimeError("disk full")

    monkeypatch.setattr(engagement_refresh, "insert_in_batches", fail_after_writing)
    with pytest.raises(RuntimeError):
        engagement_refresh.refresh_engagement(AS_OF)
    db.session.expire_all()
    assert {user_id: row.score for user_id, row in _rows().items()} == before
    assert latest_run().day == AS_OF.date()


def test_days_keep_their_own_history(community):
    engagement_refresh.refresh_engagement(AS_OF - timedelta(days=1))
    engagement_refresh.refresh_engagement(AS_OF)
    writer = community["writer"].id
    assert latest_engagement(writer).day == AS_OF.date()
    sizes = segment_sizes(days=7)
    assert list(sizes) == [AS_OF.date() - timedelta(days=1), AS_OF.date()]
    assert sum(sizes[AS_OF.date()].values()) == 6
    assert segment_sizes(days=1) == {AS_OF.date(): sizes[AS_OF.date()]}


def test_users_in_segments_riskiest_first(community):
    engagement_refresh.refresh_engagement(AS_OF)
    ids = users_in_segments(["dormant", "new"])
    assert ids == [community["lapsed"].id, community["newcomer"].id]
    assert users_in_segments(["loyal"]) == [community["reader"].id]
    assert users_in_segments(["at-risk"]) == []
    assert users_in_segments(["dormant"], as_of=AS_OF - timedelta(days=1)) == []


def test_the_job_is_registered_daily_and_calls_the_service(community):
    assert _registry["engagement"].schedule.hour is not None
    counts = engagement(JobContext(as_of=AS_OF))
    assert counts["users"] == 6
    assert latest_run().as_of == AS_OF


def test_enough_history_trains_a_model_and_personas(app):
    """Sixty members over six months, some of whom stop coming: a logistic model with an
    AUC, and personas for those still around."""
    rng = np.random.default_rng(3)
    users = [_member(f"m{i}", joined_days_ago=320) for i in range(60)]
    kinds = ["login", "answer", "lesson_completed", "challenge_solved"]
    rows = []
    for n, user in enumerate(users):
        rate = rng.uniform(0.05, 0.4)
        stop = int(rng.integers(0, 300)) if n % 3 == 0 else 0
        days = np.flatnonzero(rng.random(300) < rate).tolist()
        rows += [{"user_id": user.id, "type": kinds[n % 4], "data": {},
                  "created_at": _at(age + 0.5)} for age in days if age >= stop]
    # Written straight into the log, as a data generator would, without the handlers' work.
    db.session.execute(insert(Event), rows)
    db.session.commit()
    counts = engagement_refresh.refresh_engagement(AS_OF)
    run = latest_run()
    assert run.churn_model == "logistic"
    assert run.churn_training_size == counts["churn_training_rows"] > 200
    assert 0 <= run.churn_auc <= 1
    personas = run_personas(run)
    assert 3 <= len(personas) <= 8
    assert sum(p.size for p in personas) == db.session.scalar(
        select(func.count()).where(EngagementScore.persona.is_not(None)))
    assert set(personas[0].centre) == {"recency", "frequency", "contribution", "reception",
                                       "learning", "competing"}
    assert db.session.scalar(select(func.count()).select_from(Persona)) == len(personas)
