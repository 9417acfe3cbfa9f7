"""The badge sweep: aggregate badges, badges the events missed, and never twice."""

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.forum import voting
from app.forum.models import Post, Thread
from app.gamification import badge_awards
from app.gamification.badge_awards import sweep_badges
from app.gamification.models import ActivityDay, BadgeAward
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread, make_vote
from tests.fixtures.users import make_user


def _held(slug) -> list[tuple[int, str | None, int | None]]:
    return sorted(db.session.execute(
        select(BadgeAward.user_id, BadgeAward.subject_type, BadgeAward.subject_id)
        .where(BadgeAward.badge == slug)
    ).all())


def _set(model, row, **values) -> None:
    db.session.execute(update(model).where(model.id == row.id).values(**values))
    db.session.commit()


def test_views_earn_the_view_badges_per_question(app):
    asker = make_user()
    popular = make_thread(author=asker)
    famous = make_thread(author=asker)
    quiet = make_thread(author=asker)
    _set(Thread, popular, view_count=1_000)
    _set(Thread, famous, view_count=10_000)
    _set(Thread, quiet, view_count=999)

    counts = sweep_badges()

    assert counts["popular-question"] == 2
    assert counts["notable-question"] == 1
    assert counts["famous-question"] == 1
    assert _held("popular-question") == [(asker.id, "thread", popular.id),
                                         (asker.id, "thread", famous.id)]
    assert _held("famous-question") == [(asker.id, "thread", famous.id)]


def test_a_second_sweep_awards_nothing(app):
    thread = make_thread(author=make_user())
    make_vote(user=make_user(), post=make_post(thread=thread, author=make_user()))
    _set(Thread, thread, view_count=2_500)

    first = sweep_badges()
    total = db.session.scalar(select(func.count(BadgeAward.id)))
    events = db.session.scalar(select(func.count(Event.id)).where(Event.type == "badge_awarded"))
    second = sweep_badges()

    assert sum(first.values()) == total > 0
    assert set(second.values()) == {0}
    assert db.session.scalar(select(func.count(BadgeAward.id))) == total
    assert db.session.scalar(
        select(func.count(Event.id)).where(Event.type == "badge_awarded")
    ) == events


def test_the_sweep_catches_what_no_event_saw(app):
    # Rows written directly (imports, seed data) fire no events.
    asker, answerer, voter = make_user(), make_user(), make_user()
    thread = make_thread(author=asker)
    answer = make_post(thread=thread, author=answerer)
    make_vote(user=voter, post=answer, value=1)
    _set(Thread, thread, accepted_post_id=answer.id)

    sweep_badges()

    assert _held("student") == [(asker.id, "thread", thread.id)]
    assert _held("scholar") == [(asker.id, "post", answer.id)]
    assert _held("helper") == [(answerer.id, "post", answer.id)]
    assert _held("teacher") == [(answerer.id, "post", answer.id)]
    assert _held("supporter") == [(voter.id, "post", answer.id)]
    assert _held("critic") == []


def test_score_badges_and_necromancer_from_stored_scores(app):
    old = make_thread(author=make_user(), created_at=utcnow() - timedelta(days=90))
    late = make_post(thread=old, author=make_user())
    early = make_post(thread=old, author=make_user(), created_at=old.created_at + timedelta(days=59))
    _set(Post, late, score=25)
    _set(Post, early, score=25)
    _set(Thread, old, accepted_post_id=late.id)

    sweep_badges()

    assert _held("good-answer") == sorted([(late.author_id, "post", late.id),
                                           (early.author_id, "post", early.id)])
    assert _held("necromancer") == [(late.author_id, "post", late.id)]
    assert _held("enlightened") == [(late.author_id, "post", late.id)]
    assert _held("guru") == []


def test_deleted_posts_and_discussions_earn_no_score_badges(app):
    author = make_user()
    thread = make_thread(author=make_user())
    deleted = make_post(thread=thread, author=author)
    _set(Post, deleted, score=30, deleted_at=utcnow())
    discussion = make_thread(author=make_user(), kind="discussion")
    reply = make_post(thread=discussion, author=author)
    _set(Post, reply, score=30)

    sweep_badges()

    assert _held("nice-answer") == []
    assert _held("helper") == []


def _answers_in(tag: str, author, *, count: int, score: int, kind="question"):
    category = make_category()
    for n in range(count):
        thread = make_thread(author=make_user(), category=category, tags=(tag,), kind=kind,
                             title=f"{tag} question {n}")
        _set(Post, make_post(thread=thread, author=author), score=score)


def test_tag_badges_need_score_and_answers_in_one_tag(app):
    expert, busy, near = make_user(), make_user(), make_user()
    _answers_in("python", expert, count=20, score=5)  # 100 from 20 answers
    _answers_in("python", busy, count=25, score=3)  # 75: not enough score
    _answers_in("rust", near, count=19, score=10)  # 190 from 19 answers: too few

    counts = sweep_badges()

    python = db.session.scalar(select(Thread).where(Thread.title == "python question 0")).tags[0]
    assert counts["tag-bronze"] == 1
    assert _held("tag-bronze") == [(expert.id, "tag", python.id)]
    assert _held("tag-silver") == []
    event = db.session.scalars(select(Event).where(Event.type == "badge_awarded",
                                                  Event.user_id == expert.id)).all()
    assert {"badge": "tag-bronze", "name": "python", "tier": "bronze"} in [e.data for e in event]


def test_answers_in_discussions_do_not_count_for_tags(app):
    author = make_user()
    _answers_in("python", author, count=20, score=5, kind="discussion")

    sweep_badges()

    assert _held("tag-bronze") == []


def test_streak_badges_from_active_days(app):
    steady, broken = make_user(), make_user()
    start = utcnow().date() - timedelta(days=40)
    for n in range(8):
        db.session.add(ActivityDay(user_id=steady.id, day=start + timedelta(days=n)))
    for n in (0, 1, 2, 4, 5, 6, 7):  # a gap on day 3
        db.session.add(ActivityDay(user_id=broken.id, day=start + timedelta(days=n)))
    db.session.commit()

    sweep_badges()

    assert _held("steady") == [(steady.id, None, None)]
    assert _held("enthusiast") == []


def test_the_sweep_skips_badges_already_earned_by_the_action(app):
    answer = make_post(thread=make_thread(author=make_user()), author=make_user())
    voter = make_user(points=15)
    voting.cast_vote(voter, answer.id, "up")
    assert _held("supporter") == [(voter.id, "post", answer.id)]

    counts = sweep_badges()

    assert counts["supporter"] == 0
    assert _held("supporter") == [(voter.id, "post", answer.id)]


def test_the_sweep_returns_counts_for_every_swept_badge(app):
    counts = sweep_badges()
    assert "nice-answer" in counts and "tag-gold" in counts and "steady" in counts
    assert "podium" not in counts  # earned only through its event
    assert set(counts.values()) == {0}


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="concurrent writers need PostgreSQL"
)
def test_two_sweeps_at_once_award_each_badge_once(app):
    threads = [make_thread(author=make_user()) for _ in range(30)]
    for thread in threads:
        _set(Thread, thread, view_count=1_000)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def sweep():
        with app.app_context():
            try:
                barrier.wait()
                results.append(sweep_badges())
            except Exception as error:  # surfaced below
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=sweep) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert sum(r["popular-question"] for r in results) == 30
    assert sum(r["student"] for r in results) == 30
    assert len(_held("popular-question")) == 30
    assert db.session.scalar(
        select(func.count(Event.id)).where(Event.type == "badge_awarded")
    ) == db.session.scalar(select(func.count(BadgeAward.id)))


def test_the_sweep_works_through_a_backlog_in_batches(app, monkeypatch):
    monkeypatch.setattr(badge_awards, "SWEEP_BATCH", 2)
    askers = [make_user() for _ in range(5)]
    for asker in askers:
        make_thread(author=asker)

    counts = sweep_badges()

    assert counts["student"] == 5
    assert [user_id for user_id, _, _ in _held("student")] == sorted(a.id for a in askers)
