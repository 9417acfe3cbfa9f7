"""The review queue: one entry per flagged post, most urgent first, and each verdict
settling all its open flags, moving the flaggers' accuracy, and leaving an audit entry."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied
from app.moderation import flagging, review
from app.moderation.models import AuditEntry, Flag
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import login_as, make_user

LEVEL_2, LEVEL_3 = 20, 60


@pytest.fixture
def thread(app):
    return make_thread(author=make_user(username="asker"), title="Pandas merge question")


def _flagged(thread, body: str, *flaggers, reason: str = "spam"):
    post = make_post(thread=thread, author=make_user(), body=body)
    for flagger in flaggers:
        flagging.flag_post(flagger, post.id, reason=reason, text="see this")
    return post


def _statuses(post) -> list[str]:
    return list(db.session.scalars(select(Flag.status).where(Flag.post_id == post.id)))


def test_the_queue_groups_flags_per_post_and_puts_the_most_urgent_first(client, moderator,
                                                                        thread):
    one = _flagged(thread, "One flag on me", make_user(points=LEVEL_2), reason="off_topic")
    two = _flagged(thread, "Two flags on me", make_user(points=LEVEL_2), make_user(points=LEVEL_2))
    entries = review.queue_page(page=1).items
    assert [e.post.id for e in entries] == [two.id, one.id]
    assert [len(e.flags) for e in entries] == [2, 1]
    assert entries[0].author.posts == 1 and entries[0].author.flags_agreed == 0

    login_as(client, moderator)
    page = client.get("/staff/review").get_data(as_text=True)
    assert page.index("Two flags on me") < page.index("One flag on me")
    assert "Pandas merge question" in page and "Off-topic" in page and "see this" in page


def test_the_queue_paginates_and_has_an_empty_state(client, moderator, thread):
    login_as(client, moderator)
    assert "No post has open flags" in client.get("/staff/review").get_data(as_text=True)
    flagger = make_user(points=LEVEL_2)
    posts = [_flagged(thread, f"Post number {n}", flagger) for n in range(3)]
    first = review.queue_page(page=1, per_page=2)
    second = review.queue_page(page=2, per_page=2)
    assert first.total == 3 and first.pages == 2
    assert [e.post.id for e in first.items + second.items] == [p.id for p in posts]


def test_members_get_403_on_the_queue(client, thread):
    member = make_user(points=LEVEL_3)
    login_as(client, member)
    assert client.get("/staff/review").status_code == 403
    post = _flagged(thread, "Flagged", make_user(points=LEVEL_2))
    assert client.post(f"/staff/review/{post.id}", data={"verdict": "hide"}).status_code == 403
    with pytest.raises(PermissionDenied):
        review.resolve_flags(member, post.id, verdict="hide")
    assert _statuses(post) == ["open"]


def test_agree_and_hide_settles_every_flag_and_credits_the_flaggers(client, moderator, thread):
    ann, bob = make_user(points=LEVEL_2), make_user(points=LEVEL_2)
    post = _flagged(thread, "Buy watches", ann, bob)
    login_as(client, moderator)
    response = client.post(f"/staff/review/{post.id}",
                           data={"verdict": "hide", "reason": "Advert"})
    assert response.status_code == 302
    assert _statuses(post) == ["agreed", "agreed"]
    assert post.is_hidden and post.hidden_by_id == moderator.id
    assert review.accuracy_of(ann.id) == review.accuracy_of(bob.id) == (1, 1)
    assert review.queue_page(page=1).total == 0
    actions = {e.action: e for e in db.session.scalars(select(AuditEntry))}
    assert actions["resolve_flags"].reason == "Advert"
    assert actions["resolve_flags"].after == {"verdict": "hide"}
    assert actions["hide_post"].actor_id == moderator.id


def test_agree_and_delete_deletes_the_post(moderator, thread):
    flagger = make_user(points=LEVEL_2)
    post = _flagged(thread, "Rude words", flagger, reason="rude")
    review.resolve_flags(moderator, post.id, verdict="delete", reason="Abuse")
    assert post.is_deleted and _statuses(post) == ["agreed"]
    assert review.accuracy_of(flagger.id) == (1, 1)
    [deleted] = db.session.scalars(select(AuditEntry).filter_by(action="delete_post"))
    assert deleted.reason == "Abuse"


def test_disagree_restores_an_auto_hidden_post_and_counts_against_the_flaggers(moderator,
                                                                               thread):
    trusted = [make_user(points=LEVEL_3) for _ in range(3)]
    post = _flagged(thread, "A fine answer", *trusted)
    assert post.is_hidden
    review.resolve_flags(moderator, post.id, verdict="disagree")
    assert not post.is_hidden and _statuses(post) == ["disagreed"] * 3
    assert [review.accuracy_of(u.id) for u in trusted] == [(0, 1)] * 3


def test_ignore_settles_the_flags_without_touching_accuracy(moderator, thread):
    flagger = make_user(points=LEVEL_2)
    post = _flagged(thread, "Meh", flagger)
    review.resolve_flags(moderator, post.id, verdict="ignore")
    assert _statuses(post) == ["ignored"] and review.accuracy_of(flagger.id) == (0, 0)


def test_accuracy_accumulates_and_the_author_history_shows_agreed_flags(moderator, thread):
    flagger = make_user(points=LEVEL_2)
    spammer = make_user(username="spammer")
    posts = [make_post(thread=thread, author=spammer, body=f"Spam {n}") for n in range(3)]
    for post in posts:
        flagging.flag_post(flagger, post.id, reason="spam")
    review.resolve_flags(moderator, posts[0].id, verdict="hide")
    review.resolve_flags(moderator, posts[1].id, verdict="disagree")
    assert review.accuracy_of(flagger.id) == (1, 2)
    [entry] = review.queue_page(page=1).items
    assert entry.post.id == posts[2].id
    assert (entry.author.posts, entry.author.flags_agreed) == (3, 1)


def test_a_post_is_decided_once(moderator, thread):
    post = _flagged(thread, "Twice", make_user(points=LEVEL_2))
    review.resolve_flags(moderator, post.id, verdict="hide")
    with pytest.raises(Conflict, match="no open flags"):
        review.resolve_flags(moderator, post.id, verdict="disagree")
