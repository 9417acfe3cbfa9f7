"""The communities job end to end: events in, runs and communities stored and read back."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.insights import communities as service
from app.insights.communities import community_of, latest_communities, latest_run
from app.insights.models.communities import Community, CommunityMember, CommunityRun
from app.insights.services import record
from app.timeutil import utcnow
from jobs.communities import communities as communities_job
from jobs.context import JobContext, Progress
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import make_user

AS_OF = utcnow().replace(microsecond=0) + timedelta(hours=1)


def _answer(thread, author, *, days_ago: float = 2, reply_to=None):
    at = AS_OF - timedelta(days=days_ago)
    post = make_post(thread=thread, author=author, created_at=at, reply_to=reply_to)
    record("answer", user=author, subject=post, at=at,
           data={"thread_id": thread.id, "reply_to": reply_to.id if reply_to else None})
    db.session.commit()
    return post


def _vote(user, post, value: int = 1, *, days_ago: float = 1):
    record("vote", user=user, subject=post, data={"value": value, "previous": 0},
           at=AS_OF - timedelta(days=days_ago))
    db.session.commit()


def _group(prefix: str, tags: tuple[str, ...], size: int = 4, *, days_ago: float = 2):
    """`size` people who each ask one question that everyone else in the group answers."""
    people = [make_user(username=f"{prefix}{n}") for n in range(size)]
    for asker in people:
        thread = make_thread(author=asker, tags=tags)
        for other in people:
            if other is not asker:
                _answer(thread, other, days_ago=days_ago)
    return people


def _run(as_of=AS_OF) -> dict[str, int]:
    return service.detect_and_store_communities(as_of=as_of, progress=Progress.silent())


def _members_by_key() -> dict[int, set[int]]:
    members: dict[int, set[int]] = {}
    run = latest_run()
    for key, user_id in db.session.execute(
        select(CommunityMember.community_key, CommunityMember.user_id)
        .where(CommunityMember.run_id == run.id)
    ):
        members.setdefault(key, set()).add(user_id)
    return members


@pytest.fixture
def two_groups(app):
    return (_group("web", ("python", "flask")), _group("data", ("python", "pandas")))


def test_two_groups_become_two_labelled_communities(two_groups):
    web, data = two_groups
    _vote(web[0], _answer(make_thread(author=data[0], tags=("python",)), data[1]))

    counts = _run()

    assert counts == {"events": 26, "users": 8, "edges": 13, "communities": 2, "members": 8,
                      "new_communities": 2}
    run = latest_run()
    assert run.modularity > 0.3 and run.sizes == [4, 4] and run.finished_at is not None
    by_label = {c.tags[0]: c for c in latest_communities()}
    assert set(by_label) == {"flask", "pandas"}
    assert by_label["flask"].label == "flask"  # python is on every thread: it sets none apart
    assert set(by_label["flask"].central) <= {u.id for u in web}
    badge = community_of(web[0].id)
    assert (badge.label, badge.size) == ("flask", 4)
    assert community_of(data[2].id).tags == ["pandas"]


def test_a_rerun_for_the_same_day_replaces_the_run_with_the_same_keys(two_groups):
    _run()
    first = _members_by_key()

    assert _run()["new_communities"] == 2  # as new as the run it replaced
    assert _members_by_key() == first
    assert db.session.scalar(select(func.count()).select_from(CommunityRun)) == 1
    assert db.session.scalar(select(func.count()).select_from(Community)) == 2


def test_keys_follow_communities_from_day_to_day_and_new_ones_get_new_keys(two_groups):
    web, _ = two_groups
    _run()
    before = {community_of(u.id).key for u in web}
    _group("ops", ("docker",), days_ago=0.5)

    counts = _run(AS_OF + timedelta(days=1))

    assert counts["communities"] == 3 and counts["new_communities"] == 1
    assert {community_of(u.id).key for u in web} == before
    assert set(_members_by_key()) == {1, 2, 3}


def test_a_run_that_fails_halfway_leaves_the_previous_run_readable(two_groups, monkeypatch):
    web, _ = two_groups
    _run()
    badge = community_of(web[0].id)

    def crash(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service, "_prune_members", crash)
    with pytest.raises(RuntimeError):
        _run(AS_OF + timedelta(days=1))
    db.session.rollback()

    assert community_of(web[0].id) == badge
    assert latest_run().as_of == AS_OF
    unfinished = db.session.scalar(select(CommunityRun).where(CommunityRun.finished_at.is_(None)))
    assert unfinished.as_of == AS_OF + timedelta(days=1)


def test_opted_out_deleted_old_and_down_voted_ties_are_left_out(app):
    web = _group("web", ("flask",))
    quiet, gone, stranger, old = (make_user(username=n) for n in ("quiet", "gone", "stranger", "old"))
    quiet.personalise = False
    gone.deleted_at = utcnow()
    db.session.commit()
    thread = make_thread(author=web[0], tags=("flask",))
    for person in (quiet, gone):
        for _ in range(3):
            _vote(web[1], _answer(thread, person))
    _vote(stranger, _answer(thread, web[2]), value=-1)
    _answer(thread, old, days_ago=181)

    _run()

    members = set().union(*_members_by_key().values())
    assert members == {u.id for u in web}
    web[0].personalise = False
    db.session.commit()
    assert community_of(web[0].id) is None  # opted out after the run: no longer shown


def test_the_job_runs_the_service_for_its_day(two_groups):
    counts = communities_job(JobContext(as_of=AS_OF))

    assert counts["communities"] == 2
    assert latest_run().as_of == AS_OF


def test_with_no_run_nobody_has_a_community(app):
    user = make_user()
    assert community_of(user.id) is None
    assert latest_communities() == [] and latest_run() is None
