"""The recommendations service end to end on a real database: stored results, the read
helpers' re-checks at read time, re-runs, and a crash that leaves old results readable."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.courses.enrolment import enrol
from app.extensions import db
from app.insights import recommendations as service
from app.insights.interests import InterestError, interests_of, set_interests
from app.insights.models.recommendations import Recommendation, RecommendationRun
from app.insights.recommendation_reads import (
    answerable_for,
    courses_also_taken,
    courses_for,
    related_threads,
    threads_for,
)
from app.insights.recommendations import refresh_recommendations
from app.insights.services import record
from app.outreach import preferences
from app.outreach.audience import digest_readers
from app.timeutil import utcnow
from jobs.context import JobContext
from jobs.registry import all_jobs
from tests.fixtures.courses import make_course, make_paying_member
from tests.fixtures.forum import make_post
from tests.fixtures.recommendations import build_pandas_forum
from tests.fixtures.users import make_user


@pytest.fixture
def forum(app):
    return build_pandas_forum()


def _ids(recommended):
    return [r.item.id for r in recommended]


def test_for_you_recommends_the_co_read_thread_with_a_reason_and_hides_the_rest(forum):
    counts = refresh_recommendations(forum["now"])
    assert counts["users"] == 4 and counts["rows"] > 0
    picks = threads_for(forum["alice"])
    ids = _ids(picks)
    assert ids[0] == forum["next_step"].id
    assert picks[0].reason == "Because you answered “Grouping a pandas frame”"
    for hidden in ("start", "own", "locked"):
        assert forum[hidden].id not in ids  # answered, written, member-only
    stored = db.session.scalars(select(Recommendation.item_id).where(
        Recommendation.user_id == forum["alice"].id, Recommendation.kind == "thread")).all()
    assert forum["locked"].id not in stored


def test_members_get_member_only_threads_and_non_members_never_read_them(forum):
    member = make_paying_member(username="member")
    record("answer", user=member, subject=make_post(thread=forum["start"], author=member),
           data={"thread_id": forum["start"].id}, at=forum["now"] - timedelta(hours=2))
    db.session.commit()
    refresh_recommendations(forum["now"])
    assert forum["locked"].id in _ids(threads_for(member))
    assert forum["locked"].id not in [t.id for t in related_threads(forum["next_step"].id,
                                                                    forum["alice"])]
    assert forum["locked"].id in [t.id for t in related_threads(forum["next_step"].id, member)]


def test_a_thread_deleted_or_closed_after_the_run_vanishes_at_read_time(forum):
    refresh_recommendations(forum["now"])
    forum["next_step"].deleted_at = utcnow()
    db.session.commit()
    assert forum["next_step"].id not in _ids(threads_for(forum["alice"]))
    assert forum["next_step"].id not in [t.id for t in related_threads(forum["start"].id, None)]


def test_questions_you_can_answer_are_open_ones_in_the_tags_your_answers_scored(forum):
    refresh_recommendations(forum["now"])
    picks = answerable_for(forum["alice"])
    assert _ids(picks) == [forum["open_question"].id]
    assert picks[0].reason == "Your answers in #pandas scored"
    make_post(thread=forum["open_question"], author=forum["peers"][1])
    assert answerable_for(forum["alice"]) == []


def test_anonymous_and_opted_out_people_get_the_popular_list_and_no_stored_rows(forum):
    alice = forum["alice"]
    alice.personalise = False
    db.session.commit()
    refresh_recommendations(forum["now"])
    assert db.session.scalar(select(func.count()).where(Recommendation.user_id == alice.id)) == 0
    popular = threads_for(alice)
    assert popular and all(r.reason == "Popular this week" for r in popular)
    assert forum["own"].id not in _ids(popular)
    anonymous = _ids(threads_for(None))
    assert forum["next_step"].id in anonymous and forum["locked"].id not in anonymous


def test_interests_put_popular_threads_in_those_tags_first(forum):
    newcomer = make_user(username="newcomer")
    assert set_interests(newcomer, ["Docker", "#docker"])[0].name == "docker"
    assert [t.name for t in interests_of(newcomer)] == ["docker"]
    with pytest.raises(InterestError, match="#nosuchtag"):
        set_interests(newcomer, ["nosuchtag"])
    refresh_recommendations(forum["now"])
    picks = threads_for(newcomer)
    assert picks[0].item.id == forum["other"].id
    assert picks[0].reason in ("In your interests: #docker", "Popular in #docker")


def test_courses_learners_also_took_and_courses_for_you(forum):
    staff = make_user(role=Role.MODERATOR)
    first, second, member_only = (make_course(title="Pandas basics", author=staff),
                                  make_course(title="Pandas in depth", author=staff),
                                  make_course(title="Pandas for members", member_only=True,
                                              author=staff))
    for peer in forum["peers"]:
        enrol(peer, first.slug)
        enrol(peer, second.slug)
    enrol(forum["alice"], first.slug)
    refresh_recommendations(utcnow())
    assert [c.id for c in courses_also_taken(first.id)][0] == second.id
    picks = courses_for(forum["alice"])
    assert picks[0].item.id == second.id
    assert first.id not in _ids(picks)
    assert member_only.id in _ids(picks)  # recommended with its teaser


def test_a_rerun_gives_the_same_results_and_keeps_two_runs(forum):
    refresh_recommendations(forum["now"])
    first = [(r.item.id, r.reason) for r in threads_for(forum["alice"])]
    refresh_recommendations(forum["now"])
    refresh_recommendations(forum["now"])
    assert [(r.item.id, r.reason) for r in threads_for(forum["alice"])] == first
    assert db.session.scalar(select(func.count(RecommendationRun.id))) == 2


def test_a_crash_mid_run_leaves_the_previous_results_readable(forum, monkeypatch):
    refresh_recommendations(forum["now"])
    before = _ids(threads_for(forum["alice"]))

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "_store_related", crash)
    with pytest.raises(RuntimeError):
        refresh_recommendations(forum["now"])
    db.session.rollback()
    assert _ids(threads_for(forum["alice"])) == before
    monkeypatch.undo()
    assert refresh_recommendations(forum["now"])["runs_pruned"] == 1  # the abandoned run


def test_the_job_is_registered_every_four_hours_and_calls_the_service(forum):
    job = all_jobs()["recommendations"]
    assert str(job.schedule) == "every 4 hours"
    counts = job.func(JobContext(as_of=forum["now"]))
    assert counts["users"] == 4


def test_people_who_asked_for_the_digest_get_picks_of_their_own_while_away(forum):
    later = forum["now"] + timedelta(days=60)  # everyone's last event is 61 days old
    assert refresh_recommendations(later)["users"] == 0
    alice = forum["alice"]
    alice.last_seen_at = forum["now"] - timedelta(days=1)
    preferences.set_mode(alice.id, preferences.REENGAGEMENT, preferences.SUBSCRIBED)
    db.session.commit()
    assert digest_readers(later) == [alice.id]
    assert all_jobs()["recommendations"].func(JobContext(as_of=later))["users"] == 1
    assert _ids(threads_for(alice))[0] == forum["next_step"].id
    alice.last_seen_at = later - timedelta(days=400)  # gone too long to be written to
    db.session.commit()
    assert digest_readers(later) == []


def test_readers_run_a_fixed_number_of_queries(forum):
    from tests.fixtures.queries import count_queries

    refresh_recommendations(forum["now"])
    alice = forum["alice"]
    db.session.expire_all()
    assert alice.personalise  # loads her again, outside the count
    with count_queries() as log:
        picks = threads_for(alice)
        for pick in picks:
            assert pick.item.author.username and pick.item.category.name
            assert [tag.name for tag in pick.item.tags]
    # the picks with authors and categories, their tags, and the membership check
    assert log.count <= 3, log.statements
