"""The insights benchmark's community: counts, references that hold, and the skew."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from app.insights.models import Event
from bench.community_data import Sizes, generate
from tests.fixtures.databases import empty_all_tables

NOW = datetime(2026, 6, 1, 12, 0)


@pytest.fixture(scope="module")
def engine(_schema, database_url):
    engine = create_engine(database_url)
    yield engine
    engine.dispose()
    empty_all_tables(database_url)


@pytest.fixture(scope="module")
def made(engine):
    """One community for the module's checks: building it takes seconds."""
    with engine.begin() as connection:
        return generate(connection, Sizes.small(), now=NOW)


@pytest.fixture
def scalar(engine, made):
    def run(sql, **params):
        with engine.connect() as connection:
            return connection.scalar(text(sql) if isinstance(sql, str) else sql, params)

    return run


def test_the_small_preset_has_its_sizes(made, scalar):
    sizes = Sizes.small()
    assert (made.users, made.threads, made.posts, made.events) == (
        sizes.users, sizes.threads, sizes.posts, sizes.events)
    for table, count in [("user", made.users), ("thread", made.threads), ("post", made.posts),
                         ("event", made.events), ("tag", made.tags), ("lesson", made.lessons)]:
        assert scalar(f'SELECT count(*) FROM "{table}"') == count
    assert sum(made.event_types.values()) == made.events
    assert 0 < made.active_users < made.users
    assert scalar(select(func.max(Event.created_at))) < NOW


@pytest.mark.parametrize("table", ["thread", "post", "course", "lesson"])
def test_every_event_subject_exists(made, scalar, table):
    assert scalar(f"SELECT count(*) FROM event WHERE subject_type = '{table}'") > 0
    assert scalar(
        f"SELECT count(*) FROM event e WHERE e.subject_type = '{table}' "
        f'AND NOT EXISTS (SELECT 1 FROM "{table}" s WHERE s.id = e.subject_id)') == 0


def test_each_thread_opens_with_its_first_post_by_its_asker(made, scalar):
    assert scalar("SELECT count(*) FROM post WHERE is_first") == made.threads
    assert scalar(
        "SELECT count(*) FROM thread t JOIN post p ON p.thread_id = t.id AND p.is_first "
        "WHERE p.author_id = t.author_id AND p.created_at = t.created_at") == made.threads
    assert scalar(
        "SELECT count(*) FROM post a JOIN post f ON f.thread_id = a.thread_id AND f.is_first "
        "WHERE NOT a.is_first AND a.created_at <= f.created_at") == 0
    assert scalar(
        "SELECT count(*) FROM thread t WHERE reply_count <> "
        "(SELECT count(*) FROM post p WHERE p.thread_id = t.id AND NOT p.is_first)") == 0


def test_the_event_log_agrees_with_the_posts(made, scalar):
    answers = made.posts - made.threads
    assert made.event_types["answer"] + made.event_types["reply"] == answers
    assert scalar(
        "SELECT count(*) FROM event e JOIN post p ON p.id = e.subject_id "
        "WHERE e.type IN ('answer', 'reply') AND e.user_id = p.author_id "
        "AND e.created_at = p.created_at AND NOT p.is_first") == answers
    assert scalar(
        "SELECT count(*) FROM event e JOIN thread t ON t.id = e.subject_id "
        "WHERE e.type = 'ask' AND e.user_id = t.author_id "
        "AND e.created_at = t.created_at") == made.threads
    accepted = scalar("SELECT count(*) FROM thread WHERE accepted_post_id IS NOT NULL")
    assert accepted == made.event_types["accept"] > 0
    assert scalar(
        "SELECT count(*) FROM thread t JOIN post p ON p.id = t.accepted_post_id "
        "WHERE p.thread_id = t.id AND NOT p.is_first AND t.kind = 'question'") == accepted


def test_views_and_votes_come_after_what_they_see(made, scalar):
    assert scalar(
        "SELECT count(*) FROM event e JOIN thread t ON t.id = e.subject_id "
        "WHERE e.type = 'view' AND e.created_at < t.created_at") == 0
    assert scalar(
        "SELECT count(*) FROM event e JOIN post p ON p.id = e.subject_id "
        "WHERE e.type = 'vote' AND e.created_at < p.created_at") == 0


def test_lessons_are_completed_after_enrolling(made, scalar):
    assert made.event_types["lesson_completed"] > 0
    assert scalar(
        "SELECT count(*) FROM event l JOIN lesson ON lesson.id = l.subject_id "
        "WHERE l.type = 'lesson_completed' AND NOT EXISTS (SELECT 1 FROM event e "
        "WHERE e.type = 'course_enrolled' AND e.user_id = l.user_id "
        "AND e.subject_id = lesson.course_id AND e.created_at <= l.created_at)") == 0


def test_activity_is_skewed_and_many_people_churn(made, engine):
    with engine.connect() as connection:
        per_user = connection.scalars(text(
            "SELECT count(*) FROM event GROUP BY user_id ORDER BY count(*) DESC")).all()
        recent = connection.scalar(text(
            "SELECT count(DISTINCT user_id) FROM event WHERE created_at >= :since"),
            {"since": NOW - timedelta(days=45)})
    top = per_user[: made.users // 10]
    assert sum(top) > 0.5 * made.events
    assert recent < 0.6 * len(per_user)  # most people who came have gone quiet


def test_sizes_scale():
    full = Sizes()
    assert full.scaled(0.1).users == 10_000
    assert full.scaled(0.1).events == 500_000
    assert full.scaled(0.01).tags < full.tags


def test_the_app_can_add_rows_after_the_generator(made, engine):
    """Ids were written explicitly; the sequences must have moved past them."""
    with engine.begin() as connection:
        new_id = connection.execute(text(
            "INSERT INTO tag (name, description, created_at) VALUES ('after-bench', '', :at) "
            "RETURNING id"),
            {"at": NOW}).scalar_one()
        connection.execute(text("DELETE FROM tag WHERE id = :id"), {"id": new_id})
    assert new_id > made.tags
