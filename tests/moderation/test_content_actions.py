"""Moderators act on threads from the thread page's Moderate panel: lock and unlock,
pin and unpin, slow mode on a thread or a category, move and merge. Each is audited;
locking and slow mode need a reason, which the thread page shows, and the author hears
of a lock, a move or a merge. Staff may still post in a locked thread."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum import permissions, posting, voting
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import Bookmark, Post, Thread
from app.forum.search import search
from app.gamification import bounties
from app.gamification.models import Bounty, CloseVote, PointTransaction
from app.moderation import content_actions, slow_mode_rules
from app.moderation.models import AuditEntry
from app.moderation.slow_mode import require_slow_mode_allows
from app.moderation.slow_mode_rules import next_post_at, valid_minutes
from app.notifications.models import Notification
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

REASON = "The argument went in circles; see the newer thread."


@pytest.fixture
def ann(app):
    return make_user(username="ann", points=200)


@pytest.fixture
def thread(app, ann):
    return make_thread(author=ann, title="How do I read a file line by line?")


def _moderate(client, thread: Thread, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/t/{thread.id}/moderate/{action}", data=data)


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _fresh(thread: Thread) -> Thread:
    db.session.expire_all()
    return db.session.get(Thread, thread.id)


def _notices(user) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id,
                                   Notification.kind == "moderation")
        .order_by(Notification.id)))


# Lock and unlock

def test_a_locked_thread_says_why_and_takes_no_answers_or_votes(app, client, moderator, ann,
                                                               thread):
    answer = make_post(thread=thread, author=make_user(points=200))
    login_as(client, moderator)
    response = _moderate(client, thread, "lock", reason=REASON)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}")
    locked = _fresh(thread)
    assert locked.is_locked and locked.locked_by_id == moderator.id
    assert locked.lock_reason == REASON
    [entry] = _entries("lock_thread")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.target_user_id,
            entry.reason) == (moderator.id, "thread", thread.id, ann.id, REASON)
    assert entry.before == {"locked": False, "locked_by": None}
    assert entry.after == {"locked": True, "locked_by": moderator.id}

    login_as(client, ann)
    page = client.get(f"/t/{thread.id}/{thread.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "locked this thread" in html and REASON in html
    assert 'id="reply-heading"' not in html and "Moderate" not in html
    with pytest.raises(Conflict, match="locked"):
        posting.add_reply(ann, thread.id, body="One more thought about this, then.")
    with pytest.raises(Conflict, match="locked"):
        voting.cast_vote(ann, answer.id, "up")
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Still here?"}).status_code == 409


def test_unlocking_opens_the_thread_again_and_is_audited(app, moderator, ann, thread):
    content_actions.lock_thread(moderator, thread.id, reason=REASON)
    content_actions.unlock_thread(moderator, thread.id, reason="The newer thread was closed.")
    assert not _fresh(thread).is_locked and _fresh(thread).lock_reason == ""
    [entry] = _entries("unlock_thread")
    assert entry.before["locked"] is True and entry.after["locked"] is False
    assert posting.add_reply(ann, thread.id, body="Then here is my answer.").created


def test_locking_needs_a_reason_and_keeps_what_was_typed(app, client, moderator, thread):
    login_as(client, moderator)
    response = _moderate(client, thread, "lock", reason="   ")
    assert response.status_code == 422
    assert "Give a reason" in response.get_data(as_text=True)
    assert not _fresh(thread).is_locked and _entries("lock_thread") == []
    assert _moderate(client, thread, "unlock", reason="x").status_code == 409  # not locked
    with pytest.raises(ValidationError) as refused:
        content_actions.lock_thread(moderator, thread.id, reason="")
    assert refused.value.field == "reason"


def test_locking_twice_is_refused_without_a_second_entry(app, moderator, thread):
    content_actions.lock_thread(moderator, thread.id, reason=REASON)
    with pytest.raises(Conflict):
        content_actions.lock_thread(moderator, thread.id, reason=REASON)
    assert len(_entries("lock_thread")) == 1


def test_staff_may_still_post_in_a_locked_thread_but_nobody_votes(app, client, moderator,
                                                                   ann, thread):
    answer = make_post(thread=thread, author=make_user(points=200))
    content_actions.lock_thread(moderator, thread.id, reason=REASON)
    locked = _fresh(thread)
    assert permissions.can_answer(moderator, locked) and not permissions.can_answer(ann, locked)

    login_as(client, moderator)
    html = client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert 'id="reply-heading"' in html and "as staff you can still post" in html
    response = client.post(f"/t/{thread.id}/reply",
                           data={"body": "Locked while we sort this out; see the new thread."})
    assert response.status_code == 302 and _fresh(thread).reply_count == 2
    with pytest.raises(Conflict, match="locked"):
        voting.cast_vote(moderator, answer.id, "up")
    with pytest.raises(Conflict, match="locked"):
        posting.add_reply(ann, thread.id, body="Members still cannot post here.")


# What the author hears

def test_the_author_hears_of_a_lock_a_move_and_a_merge_with_the_reason(app, client, moderator,
                                                                      ann):
    python, elsewhere = make_category(name="Python"), make_category(name="Elsewhere")
    thread = make_thread(author=ann, category=python, title="Reading files lazily")
    target = make_thread(author=make_user(), title="Iterating over a big file")
    content_actions.lock_thread(moderator, thread.id, reason=REASON)
    content_actions.unlock_thread(moderator, thread.id, reason="Calmer now")
    content_actions.pin_thread(moderator, thread.id)
    content_actions.move_thread(moderator, thread.id, category_id=elsewhere.id,
                                reason="Not about Python")
    content_actions.merge_thread(moderator, thread.id, target=str(target.id),
                                 reason="Same question")

    lock, move, merge = _notices(ann)
    assert lock.data == {"action": "lock_thread", "reason": REASON,
                         "title": "Reading files lazily", "thread_id": thread.id}
    assert lock.actor_id == moderator.id
    assert move.data == {"action": "move_thread", "reason": "Not about Python",
                         "title": "Reading files lazily", "thread_id": thread.id,
                         "from_category": "Python", "to_category": "Elsewhere"}
    assert merge.data == {"action": "merge_thread", "reason": "Same question",
                          "title": "Reading files lazily", "thread_id": target.id,
                          "into": "Iterating over a big file"}

    login_as(client, ann)
    html = client.get("/notifications").get_data(as_text=True)
    assert "A moderator locked your thread" in html and REASON in html
    assert "moved your thread" in html and "from Python to Elsewhere" in html
    assert "merged your thread" in html and "Iterating over a big file" in html
    followed = client.post(f"/notifications/{merge.id}/read")
    assert followed.headers["Location"].endswith(f"/t/{target.id}")


def test_a_moderator_acting_on_their_own_thread_hears_nothing(app, moderator):
    own = make_thread(author=moderator)
    content_actions.lock_thread(moderator, own.id, reason=REASON)
    content_actions.move_thread(moderator, own.id, category_id=make_category().id, reason="Tidy")
    assert _notices(moderator) == []


# Pin and unpin

def test_pinned_threads_lead_their_category_whatever_the_sort(app, client, moderator, ann):
    python = make_category(name="Python")
    old = make_thread(author=ann, category=python, title="An old but important thread",
                      created_at=utcnow() - timedelta(days=30))
    new = make_thread(author=ann, category=python, title="A brand new question here")
    content_actions.pin_thread(moderator, old.id)
    [entry] = _entries("pin_thread")
    assert entry.reason == "" and entry.before == {"pinned": False}
    assert entry.after == {"pinned": True}

    for sort in ("active", "newest", "top"):
        html = client.get(f"/c/python?sort={sort}").get_data(as_text=True)
        assert html.index(old.title) < html.index(new.title), sort
    assert "Pinned" in client.get("/c/python").get_data(as_text=True)
    everywhere = client.get("/threads?sort=newest").get_data(as_text=True)
    assert everywhere.index(new.title) < everywhere.index(old.title)  # only its category

    content_actions.unpin_thread(moderator, old.id, reason="Superseded")
    html = client.get("/c/python").get_data(as_text=True)
    assert html.index(new.title) < html.index(old.title)
    assert _entries("unpin_thread")[0].reason == "Superseded"


def test_pinning_adds_no_query_to_the_category_list(app, client, moderator, ann):
    python = make_category(name="Python")
    threads = [make_thread(author=ann, category=python) for _ in range(3)]
    with count_queries() as unpinned:
        assert client.get("/c/python").status_code == 200
    content_actions.pin_thread(moderator, threads[0].id)
    with count_queries() as pinned:
        assert client.get("/c/python").status_code == 200
    assert pinned.count == unpinned.count


def test_pinning_from_the_panel_needs_no_reason(app, client, moderator, thread):
    login_as(client, moderator)
    page = client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "Moderate" in page and f"/t/{thread.id}/moderate/pin" in page
    assert _moderate(client, thread, "pin", reason="").status_code == 302
    assert _fresh(thread).is_pinned
    assert _moderate(client, thread, "pin").status_code == 409


# Slow mode: the rule

NOON = datetime(2026, 5, 1, 12, 0)


def test_the_rule_waits_from_the_last_post_in_each_scope():
    assert next_post_at([(NOON, 10)], NOON + timedelta(minutes=3)) == NOON + timedelta(minutes=10)
    assert next_post_at([(NOON, 10)], NOON + timedelta(minutes=10)) is None
    assert next_post_at([(None, 10)], NOON) is None          # never posted there
    assert next_post_at([(NOON, None)], NOON) is None        # not slowed
    both = [(NOON, 5), (NOON - timedelta(minutes=20), 60)]   # the later wait wins
    assert next_post_at(both, NOON) == NOON + timedelta(minutes=40)
    assert next_post_at([], NOON) is None


def test_the_rule_imports_nothing_from_the_app_or_the_database():
    tree = ast.parse(Path(slow_mode_rules.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"datetime"}


def test_minutes_run_from_one_to_a_day():
    assert [valid_minutes(m) for m in (None, 0, 1, 1440, 1441, -5)] == [
        False, False, True, True, False, False]


# Slow mode: the service and the pages

def test_thread_slow_mode_holds_back_a_second_post_and_keeps_the_text(app, client, moderator,
                                                                     ann, thread):
    content_actions.set_slow_mode(moderator, thread.id, minutes=30, reason="Heated thread")
    slowed = _fresh(thread)
    assert (slowed.slow_mode_minutes, slowed.slow_mode_set_by_id, slowed.slow_mode_reason) == (
        30, moderator.id, "Heated thread")
    [entry] = _entries("slow_mode_on")
    assert (entry.target_type, entry.target_id, entry.reason) == ("thread", thread.id,
                                                                 "Heated thread")
    assert entry.before["slow_mode_minutes"] is None and entry.after["slow_mode_minutes"] == 30

    bob = make_user(username="bob", points=200)
    first = posting.add_reply(bob, thread.id, body="My first answer to this one.")
    login_as(client, bob)
    typed = "A second answer, written too soon."
    response = client.post(f"/t/{thread.id}/reply", data={"body": typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    allowed = first.post.created_at + timedelta(minutes=30)
    assert "Slow mode is on here" in html and allowed.strftime("%Y-%m-%d %H:%M") in html
    assert typed in html and "one post per person every 30 minutes" in html

    posting.edit_post(bob, first.post.id, body="My first answer, edited.")  # edits stay allowed
    posting.add_reply(moderator, thread.id, body="Staff are not held back.")
    cat = make_user(username="cat", points=200)
    assert posting.add_reply(cat, thread.id, body="Cat has not posted here yet.").created


def test_the_wait_ends_after_the_minutes_pass(app, moderator, ann, thread):
    content_actions.set_slow_mode(moderator, thread.id, minutes=30, reason="Heated thread")
    bob = make_user(username="bob", points=200)
    earlier = make_post(thread=thread, author=bob, created_at=NOON)
    with pytest.raises(ValidationError) as held:
        require_slow_mode_allows(bob, thread.category, _fresh(thread),
                                 now=NOON + timedelta(minutes=29, seconds=59))
    assert held.value.field == "body" and "2026-05-01 12:30 UTC" in held.value.message
    require_slow_mode_allows(bob, thread.category, _fresh(thread), now=NOON + timedelta(minutes=30))
    assert earlier.id


def test_category_slow_mode_counts_posts_anywhere_in_the_category(app, moderator, ann, thread):
    content_actions.set_category_slow_mode(moderator, thread.category_id, minutes=60,
                                           reason="Launch day")
    category = _fresh(thread).category
    assert (category.slow_mode_minutes, category.slow_mode_set_by_id) == (60, moderator.id)
    [entry] = _entries("slow_mode_on")
    assert (entry.target_type, entry.target_id) == ("category", category.id)
    with pytest.raises(ValidationError, match="Slow mode"):  # ann asked a moment ago
        posting.create_thread(ann, kind="discussion", title="Another thread right away",
                              body="Posting again straight after.", category_id=category.id)
    with pytest.raises(ValidationError, match="Slow mode"):
        posting.add_reply(ann, thread.id, body="Answering my own question quickly.")

    content_actions.end_category_slow_mode(moderator, thread.category_id,
                                           reason="Launch is over")
    assert _fresh(thread).category.slow_mode_minutes is None
    assert _entries("slow_mode_off")[0].after["slow_mode_minutes"] is None
    assert posting.add_reply(ann, thread.id, body="Answering my own question now.").created


@pytest.mark.parametrize("minutes", [None, 0, 1441, -1])
def test_slow_mode_needs_minutes_from_one_to_a_day(app, client, moderator, thread, minutes):
    with pytest.raises(ValidationError) as refused:
        content_actions.set_slow_mode(moderator, thread.id, minutes=minutes, reason="Heated")
    assert refused.value.field == "minutes"
    assert _fresh(thread).slow_mode_minutes is None and _entries("slow_mode_on") == []


def test_slow_mode_from_the_panel_needs_a_reason_and_shows_bad_minutes(app, client, moderator,
                                                                      thread):
    login_as(client, moderator)
    response = _moderate(client, thread, "slow", minutes=2000, reason="Heated")
    assert response.status_code == 422 and "Choose 1 to 1440 minutes" in response.get_data(
        as_text=True)
    assert _moderate(client, thread, "slow", minutes=15, reason="").status_code == 422
    assert _moderate(client, thread, "slow", minutes=15, reason="Heated").status_code == 302
    assert _fresh(thread).slow_mode_minutes == 15
    assert _moderate(client, thread, "slow_off", reason="Calmer now").status_code == 302
    assert _fresh(thread).slow_mode_minutes is None
    assert _moderate(client, thread, "slow_off", reason="Again").status_code == 409


# Move

def test_moving_a_thread_changes_its_category_and_who_may_read_it(app, client, moderator, ann,
                                                                  thread):
    members = make_category(name="Members lounge", member_only=True)
    old_category, old_slug = thread.category_id, thread.category.slug
    login_as(client, moderator)
    page = client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "Members lounge" in page  # offered in the Move form
    response = _moderate(client, thread, "move", category=members.id, reason="Members' topic")
    assert response.status_code == 302
    assert _fresh(thread).category_id == members.id
    [entry] = _entries("move_thread")
    assert (entry.before, entry.after, entry.reason) == (
        {"category": old_category}, {"category": members.id}, "Members' topic")

    login_as(client, make_user(username="bob"))
    assert client.get(f"/t/{thread.id}/{thread.slug}").status_code == 403
    assert thread.title not in client.get(f"/c/{old_slug}").get_data(as_text=True)


def test_moving_needs_another_category_and_a_reason(app, client, moderator, thread):
    login_as(client, moderator)
    same = _moderate(client, thread, "move", category=thread.category_id, reason="Tidy")
    assert same.status_code == 422 and "already in that category" in same.get_data(as_text=True)
    other = make_category(name="Elsewhere")
    assert _moderate(client, thread, "move", category=other.id, reason=" ").status_code == 422
    assert _moderate(client, thread, "move", category="", reason="Tidy").status_code == 422
    assert _moderate(client, thread, "move", category=999999, reason="Tidy").status_code == 422
    assert _fresh(thread).category_id != other.id and _entries("move_thread") == []
    with pytest.raises(ValidationError) as refused:
        content_actions.move_thread(moderator, thread.id, category_id=thread.category_id,
                                    reason="Tidy")
    assert refused.value.field == "category"
    with pytest.raises(PermissionDenied):
        content_actions.move_thread(make_user(), thread.id, category_id=other.id, reason="Tidy")


# Merge

def test_merging_moves_the_posts_keeps_counts_and_search_right_and_redirects(app, client,
                                                                            moderator, ann):
    python = make_category(name="Python")
    bob = make_user(username="bob", points=200)
    source = make_thread(author=ann, category=python, title="Reading files lazily in Python")
    target = make_thread(author=bob, category=python, title="Iterating over a big file")
    make_post(thread=target, author=ann, body="Use a generator.")
    moved = make_post(thread=source, author=bob, body="Try the zebracorn streaming trick.")
    gone = make_post(thread=source, author=ann, body="Deleted answer about pandas.")
    posting.delete_post(ann, gone.id)

    login_as(client, moderator)
    response = _moderate(client, source, "merge", target=f"/t/{target.id}/{target.slug}",
                         reason="Same question")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{target.id}/{target.slug}")
    stub, into = _fresh(source), _fresh(target)
    assert stub.merged_into_id == target.id and stub.is_deleted and stub.reply_count == 0
    assert into.reply_count == 2  # its own answer plus the one live answer moved
    assert {p.thread_id for p in db.session.scalars(
        select(Post).where(Post.id.in_([moved.id, gone.id])))} == {target.id}
    [entry] = _entries("merge_thread")
    assert (entry.target_id, entry.reason, entry.after) == (
        source.id, "Same question", {"merged_into": target.id, "posts_moved": [moved.id, gone.id]})

    [hit] = search("zebracorn", viewer=ann).hits
    assert hit.thread.id == target.id and hit.post_id == moved.id
    assert search("lazily", viewer=ann).hits == []  # the stub left search

    login_as(client, ann)
    old_link = client.get(f"/t/{source.id}/{source.slug}")
    assert old_link.status_code == 301
    assert old_link.headers["Location"].endswith(f"/t/{target.id}/{target.slug}")
    page = client.get(f"/t/{target.id}/{target.slug}").get_data(as_text=True)
    assert "zebracorn" in page
    assert source.title not in client.get("/c/python").get_data(as_text=True)


def test_merging_refuses_itself_an_unknown_thread_and_no_reason(app, client, moderator, ann,
                                                               thread):
    other = make_thread(author=ann)
    login_as(client, moderator)
    itself = _moderate(client, thread, "merge", target=str(thread.id), reason="Same")
    assert itself.status_code == 422 and "into itself" in itself.get_data(as_text=True)
    assert _moderate(client, thread, "merge", target="999999", reason="Same").status_code == 422
    assert _moderate(client, thread, "merge", target="nonsense", reason="Same").status_code == 422
    assert _moderate(client, thread, "merge", target=str(other.id), reason="").status_code == 422
    assert _entries("merge_thread") == [] and _fresh(thread).merged_into_id is None
    with pytest.raises(ValidationError) as refused:
        content_actions.merge_thread(moderator, thread.id, target=f"#{thread.id}", reason="x")
    assert refused.value.field == "target"
    with pytest.raises(PermissionDenied):
        content_actions.merge_thread(ann, thread.id, target=str(other.id), reason="Same")
    content_actions.merge_thread(moderator, thread.id, target=str(other.id), reason="Same")
    with pytest.raises(Conflict):  # already merged
        content_actions.merge_thread(moderator, thread.id, target=str(other.id), reason="Same")


def test_merging_carries_the_views_ends_close_votes_and_refunds_a_bounty(app, moderator, ann):
    asked = utcnow() - timedelta(days=3)  # old enough to take a bounty
    source = make_thread(author=ann, title="Reading files lazily", created_at=asked)
    target = make_thread(author=make_user(), title="Iterating over a big file", created_at=asked)
    source.view_count, target.view_count = 40, 7
    voter, earlier = make_user(points=3000), make_user(points=3000)
    db.session.add_all([
        CloseVote(thread_id=source.id, user_id=voter.id, kind="close", reason="off_topic"),
        CloseVote(thread_id=source.id, user_id=earlier.id, kind="close", reason="unclear",
                  spent_at=asked),
        CloseVote(thread_id=target.id, user_id=voter.id, kind="close", reason="off_topic"),
    ])
    db.session.commit()
    offerer = make_user(points=300)
    bounty = bounties.offer_bounty(offerer, source.id, amount=100)

    content_actions.merge_thread(moderator, source.id, target=str(target.id), reason="Same")

    stub, into = _fresh(source), _fresh(target)
    assert (into.view_count, stub.view_count) == (47, 0)
    left = db.session.execute(select(CloseVote.thread_id, CloseVote.user_id)
                              .order_by(CloseVote.id)).all()
    assert left == [(source.id, earlier.id), (target.id, voter.id)]  # the spent one is history
    refunded = db.session.get(Bounty, bounty.id)
    assert (refunded.status, refunded.active_thread_id, refunded.awarded_amount) == (
        "expired", None, 0)
    db.session.refresh(offerer)
    assert offerer.points == 300
    [refund] = db.session.scalars(select(PointTransaction).filter_by(reason="bounty_refund"))
    assert (refund.user_id, refund.delta, refund.key) == (offerer.id, 100,
                                                          f"bounty:{bounty.id}:refund")
    [entry] = _entries("merge_thread")
    assert entry.before["view_count"] == 40 and entry.after["bounty_refunded"] == bounty.id
    assert bounties.expire_bounties(utcnow() + timedelta(days=8)) == 0  # settled once


def test_merging_moves_bookmarks_once_per_person(app, moderator, ann):
    source = make_thread(author=ann, title="Reading files lazily")
    target = make_thread(author=make_user(), title="Iterating over a big file")
    both = make_user()
    db.session.add_all([Bookmark(user_id=ann.id, thread_id=source.id),
                        Bookmark(user_id=both.id, thread_id=source.id),
                        Bookmark(user_id=both.id, thread_id=target.id)])
    db.session.commit()

    content_actions.merge_thread(moderator, source.id, target=str(target.id), reason="Same")

    saved = db.session.execute(select(Bookmark.user_id, Bookmark.thread_id)
                               .order_by(Bookmark.user_id)).all()
    assert sorted(saved) == sorted([(ann.id, target.id), (both.id, target.id)])


# Who may not

@pytest.mark.parametrize("action", ["lock", "unlock", "pin", "unpin", "slow", "slow_off",
                                    "slow_category", "slow_category_off", "move",
                                    "merge"])
def test_members_may_not_moderate_threads(app, client, ann, thread, action):
    login_as(client, ann)
    other = make_thread(author=ann)
    response = _moderate(client, thread, action, reason=REASON, minutes=10, target=str(other.id))
    assert response.status_code == 403
    assert client.get(f"/t/{thread.id}/moderate").status_code == 403
    assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("use_case", [
    content_actions.lock_thread, content_actions.unlock_thread, content_actions.pin_thread,
    content_actions.unpin_thread, content_actions.end_slow_mode,
])
def test_the_services_refuse_members_too(app, ann, thread, use_case):
    with pytest.raises(PermissionDenied):
        use_case(ann, thread.id, reason=REASON)
    with pytest.raises(PermissionDenied):
        content_actions.set_slow_mode(ann, thread.id, minutes=10, reason=REASON)
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_anonymous_people_are_sent_to_log_in(app, client, thread):
    response = _moderate(client, thread, "lock", reason=REASON)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_action_or_thread_is_not_found(app, client, moderator, thread):
    login_as(client, moderator)
    assert _moderate(client, thread, "explode", reason=REASON).status_code == 404
    assert client.post("/t/999999/moderate/lock", data={"lock-reason": REASON}).status_code == 404
