"""`flask seed demo`: deterministic, internally consistent, and safe to run on every start."""

from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.forum.models import Category, Post, PostRevision, SearchDocument, Thread, Vote
from app.insights.models import Event
from app.moderation.models import AuditEntry, Flag, FlaggerAccuracy, FlagStatus
from app.seed.content import DEMO_PASSWORD
from app.seed.demo import build_demo
from app.seed.plan import plan_demo
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from bench.thread_render import busy_thread_plan
from tests.fixtures.users import make_user

SMALL = ["seed", "demo", "--users", "20", "--threads", "30", "--seed", "7"]


def seed(app, *args):
    return app.test_cli_runner().invoke(args=[*SMALL, *args])


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# The demo's courses open a discussion thread per lesson in these categories; the
# planned forum is everything else.
COURSE_CATEGORIES = ("courses", "member-courses")


def planned_threads():
    return (select(Thread).join(Category, Category.id == Thread.category_id)
            .where(Category.slug.not_in(COURSE_CATEGORIES)))


def planned_categories():
    return select(Category).where(Category.slug.not_in(COURSE_CATEGORIES))


def test_the_same_seed_plans_the_same_community():
    now = datetime(2025, 6, 1, 12, 0)
    first = plan_demo(users=40, threads=60, seed=3, now=now)
    assert plan_demo(users=40, threads=60, seed=3, now=now) == first

    later = plan_demo(users=40, threads=60, seed=3, now=datetime(2026, 1, 9, 8, 30))
    assert [t.title for t in later.threads] == [t.title for t in first.threads]
    assert [u.username for u in later.users] == [u.username for u in first.users]

    other = plan_demo(users=40, threads=60, seed=4, now=now)
    assert [t.title for t in other.threads] != [t.title for t in first.threads]


def test_a_plan_needs_room_for_the_staff():
    with pytest.raises(ValueError, match="at least 3 users"):
        plan_demo(users=2, threads=5, seed=1, now=datetime(2025, 1, 1))


def test_seed_demo_writes_the_planned_people_and_threads(app):
    result = seed(app)

    assert result.exit_code == 0, result.output
    assert "20 users" in result.output
    assert DEMO_PASSWORD in result.output and "admin" in result.output
    plan = plan_demo(users=20, threads=30, seed=7, now=utcnow())
    usernames = db.session.scalars(select(User.username).order_by(User.id)).all()
    titles = db.session.scalars(planned_threads().with_only_columns(Thread.title)
                                .order_by(Thread.id)).all()
    assert usernames == [u.username for u in plan.users]
    assert titles == [t.title for t in plan.threads]


def test_seeded_people_can_log_in_with_the_demo_password(app):
    seed(app)

    users = db.session.scalars(select(User)).all()
    roles = Counter(u.role for u in users)
    assert roles[Role.ADMIN] == 1 and roles[Role.MODERATOR] == 2
    admin = db.session.scalars(select(User).filter_by(username="admin")).one()
    member = next(u for u in users if u.role == Role.MEMBER)
    assert admin.check_password(DEMO_PASSWORD) and member.check_password(DEMO_PASSWORD)
    assert all(u.email_verified_at is not None for u in users)
    assert len({u.username_key for u in users}) == len(users)

    client = app.test_client()
    login = client.post("/login", data={"identifier": "admin", "password": DEMO_PASSWORD})
    assert login.status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"] == str(admin.id)


def test_categories_are_distinct_and_one_is_for_members(app):
    seed(app)

    categories = db.session.scalars(planned_categories().order_by(Category.position)).all()
    assert len(categories) == 8
    assert len({c.color for c in categories}) == 8
    assert [c.position for c in categories] == list(range(1, 9))
    assert [c.slug for c in categories if c.member_only] == ["members-lounge"]
    lounge_authors = db.session.scalars(
        select(User.role).join(Thread, Thread.author_id == User.id)
        .join(Category, Category.id == Thread.category_id).where(Category.member_only)
    ).all()
    assert set(lounge_authors) <= {Role.ADMIN, Role.MODERATOR}


def test_scores_counts_and_activity_match_the_posts_and_votes(app):
    seed(app)

    vote_sums = dict(
        db.session.execute(select(Vote.post_id, func.sum(Vote.value)).group_by(Vote.post_id)).all()
    )
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    assert sum(1 for p in posts if p.score != vote_sums.get(p.id, 0)) == 0
    for thread in db.session.scalars(planned_threads()):
        own = [p for p in posts if p.thread_id == thread.id]
        first = next(p for p in own if p.is_first)
        latest = max(own, key=lambda p: p.created_at)
        assert thread.score == first.score
        assert thread.reply_count == sum(1 for p in own if not p.is_first and not p.is_deleted)
        assert thread.last_activity_at == latest.created_at
        assert thread.last_activity_by_id == latest.author_id
        assert sum(p.is_first for p in own) == 1 and first.author_id == thread.author_id
        if thread.accepted_post_id is not None:
            accepted = next(p for p in own if p.id == thread.accepted_post_id)
            assert thread.is_question and not accepted.is_first and not accepted.is_deleted
        assert thread.view_count >= 1


def test_nobody_votes_on_their_own_post_or_twice(app):
    seed(app)

    self_votes = db.session.scalar(
        select(func.count()).select_from(Vote).join(Post, Post.id == Vote.post_id)
        .where(Vote.user_id == Post.author_id)
    )
    pairs = db.session.execute(select(Vote.user_id, Vote.post_id)).all()
    values = set(db.session.scalars(select(Vote.value)))
    assert self_votes == 0
    assert len(pairs) == len(set(pairs)) > 0
    assert values <= {1, -1} and 1 in values


def test_every_post_has_its_revisions_html_and_search_document(app):
    seed(app)

    posts = db.session.scalars(select(Post)).all()
    revisions = db.session.execute(select(PostRevision.post_id, PostRevision.number)).all()
    numbers = Counter(revisions)
    documents = set(db.session.scalars(select(SearchDocument.post_id)))
    for post in posts:
        assert numbers[(post.id, 1)] == 1
        assert sum(1 for pid, _ in revisions if pid == post.id) == post.revision_count
        assert post.body_html == render_markdown(post.body)
        assert (post.id in documents) == (not post.is_deleted and not post.is_hidden)
    edited = [p for p in posts if p.revision_count == 2]
    assert all(p.edited_at is not None and p.edited_by_id is not None for p in edited)
    assert any("<pre" in p.body_html for p in posts)


def test_history_runs_forwards_in_time(app):
    seed(app)

    now = utcnow()
    threads = {t.id: t for t in db.session.scalars(select(Thread))}
    authors = {u.id: u.created_at for u in db.session.scalars(select(User))}
    for post in db.session.scalars(select(Post)):
        thread = threads[post.thread_id]
        assert thread.created_at <= post.created_at <= now
        assert authors[post.author_id] <= post.created_at
        if post.deleted_at:
            assert post.created_at < post.deleted_at <= now
    early_votes = db.session.scalar(
        select(func.count()).select_from(Vote).join(Post, Post.id == Vote.post_id)
        .where(Vote.created_at < Post.created_at)
    )
    before_joining = db.session.scalar(
        select(func.count()).select_from(Event).join(User, User.id == Event.user_id)
        .where(Event.created_at < User.created_at)
    )
    assert early_votes == 0 and before_joining == 0


def test_the_event_log_tells_the_same_story(app):
    seed(app)

    by_type = dict(db.session.execute(select(Event.type, func.count()).group_by(Event.type)).all())
    questions = db.session.scalar(
        select(func.count()).select_from(Thread).filter_by(kind="question")
    )
    answers = db.session.scalar(
        select(func.count()).select_from(Post).join(Thread, Thread.id == Post.thread_id)
        .where(~Post.is_first, Thread.kind == "question")
    )
    accepted = db.session.scalar(select(func.count(Thread.accepted_post_id)))
    assert by_type["register"] == count(User)
    assert by_type["ask"] == count(Thread)
    assert by_type["answer"] == answers and questions > 0
    assert by_type["vote"] == count(Vote)
    assert by_type.get("accept", 0) == accepted
    assert by_type["login"] >= count(User) and by_type["view"] > 0
    vote_event = db.session.scalars(select(Event).filter_by(type="vote").limit(1)).one()
    vote = db.session.scalars(
        select(Vote).filter_by(user_id=vote_event.user_id, post_id=vote_event.subject_id)
    ).one()
    assert (vote_event.subject_type, vote_event.created_at) == ("post", vote.created_at)
    assert vote_event.data["value"] == vote.value
    assert db.session.scalar(select(func.max(Event.created_at))) <= utcnow()


def test_if_empty_leaves_a_database_with_users_alone(app):
    make_user(username="someone")

    result = seed(app, "--if-empty")

    assert result.exit_code == 0
    assert "leaving it as it is" in result.output
    assert count(User) == 1 and count(Thread) == 0


def test_if_empty_seeds_an_empty_database(app):
    result = seed(app, "--if-empty")

    assert result.exit_code == 0, result.output
    assert count(User) == 20
    assert len(db.session.scalars(planned_threads()).all()) == 30


def test_without_if_empty_a_non_empty_database_is_refused(app):
    make_user(username="someone")

    result = seed(app)

    assert result.exit_code == 1
    assert "already has users" in result.output and "--if-empty" in result.output
    assert count(User) == 1 and count(Thread) == 0


def test_too_few_users_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--users", "2"])

    assert result.exit_code == 2
    assert "--users" in result.output
    assert count(User) == 0


def test_the_benchmark_thread_is_built_consistently_and_renders(app, client):
    plan = busy_thread_plan(answers=6)

    build_demo(plan)

    thread = db.session.scalars(planned_threads()).one()
    assert thread.reply_count == 6 and thread.accepted_post_id is not None
    assert thread.score == plan.threads[0].posts[0].score
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)
                             .where(SearchDocument.thread_id == thread.id)) == 7
    response = client.get(f"/t/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    assert response.data.count(b"<pre") >= 6


def test_the_demo_has_a_moderation_history_kept_as_the_review_service_keeps_it(app):
    seed(app)
    now = utcnow()

    flags = db.session.scalars(select(Flag)).all()
    assert flags and any(f.status == FlagStatus.OPEN for f in flags)
    moderators = set(db.session.scalars(select(User.id).where(User.role == "moderator")))
    accuracy = Counter()
    for flag in flags:
        post = db.session.get(Post, flag.post_id)
        assert flag.flagger_id != post.author_id and post.created_at <= flag.created_at < now
        if flag.status == FlagStatus.OPEN:
            assert flag.resolved_at is None and flag.resolved_by_id is None
            continue
        assert flag.resolved_by_id in moderators and flag.created_at < flag.resolved_at
        assert post.is_hidden == (flag.status == FlagStatus.AGREED)
        if flag.status == FlagStatus.AGREED:
            assert post.hidden_by_id == flag.resolved_by_id and post.hidden_at == flag.resolved_at
        if flag.status != FlagStatus.IGNORED:
            accuracy[flag.flagger_id] += 1
    assert {a.user_id: a.decided for a in db.session.scalars(select(FlaggerAccuracy))} == accuracy
    decided_posts = {f.post_id for f in flags if f.status != FlagStatus.OPEN}
    verdicts = db.session.scalars(select(AuditEntry.target_id)
                                  .where(AuditEntry.action == "resolve_flags")).all()
    assert sorted(verdicts) == sorted(decided_posts)
