"""The review queue: one entry per flagged post, most urgent first, and each verdict
settling all its open flags, moving the flaggers' accuracy, leaving an audit entry, and
telling the flaggers (and the author of a hidden or deleted post) what was decided."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied
from app.moderation import flagging, hiding, review
from app.moderation.models import AuditEntry, Flag
from app.notifications.models import Notification
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


def _notices(user) -> list[dict]:
    return [n.data for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id,
                                   Notification.kind == "moderation")
        .order_by(Notification.id))]


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


# What the flaggers and the author hear

def test_agreeing_thanks_each_flagger_once_and_tells_the_author_why_it_is_hidden(
        client, moderator, thread):
    ann, bob = make_user(points=LEVEL_2), make_user(points=LEVEL_2)
    post = _flagged(thread, "Buy watches", ann, bob)
    review.resolve_flags(moderator, post.id, verdict="hide", reason="Advert")

    for flagger in (ann, bob):
        assert _notices(flagger) == [{"action": "flag_agreed", "title": "Pandas merge question",
                                      "thread_id": thread.id}]
    assert _notices(post.author) == [{"action": "hide_post", "reason": "Advert",
                                      "title": "Pandas merge question",
                                      "thread_id": thread.id, "post_id": post.id}]
    login_as(client, ann)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Thanks:" in html and "the moderators agreed with your flag on" in html
    login_as(client, post.author)
    html = client.get("/notifications").get_data(as_text=True)
    assert "A moderator hid your post" in html and "Advert" in html
    assert "You can edit it, and appeal by writing to the moderators" in html


def test_agreeing_to_delete_tells_the_flagger_and_the_author(moderator, thread):
    flagger = make_user(points=LEVEL_2)
    post = _flagged(thread, "Rude words", flagger, reason="rude")
    review.resolve_flags(moderator, post.id, verdict="delete", reason="Abuse")
    assert [n["action"] for n in _notices(flagger)] == ["flag_agreed"]
    [deleted] = _notices(post.author)
    assert (deleted["action"], deleted["reason"], deleted["first"]) == ("delete_post", "Abuse",
                                                                       False)


def test_disagreeing_says_the_post_stays_and_ignoring_tells_no_one(client, moderator, thread):
    trusted = [make_user(points=LEVEL_3) for _ in range(3)]
    kept = _flagged(thread, "A fine answer", *trusted)
    assert kept.is_hidden and _notices(kept.author) == []  # hidden by flags: nobody told yet
    review.resolve_flags(moderator, kept.id, verdict="disagree")
    for flagger in trusted:
        assert [n["action"] for n in _notices(flagger)] == ["flag_declined"]
    assert _notices(kept.author) == []

    ignored = _flagged(thread, "Meh", trusted[0])
    review.resolve_flags(moderator, ignored.id, verdict="ignore")
    assert len(_notices(trusted[0])) == 1 and _notices(ignored.author) == []
    login_as(client, trusted[1])
    html = client.get("/notifications").get_data(as_text=True)
    assert "The moderators reviewed your flag on" in html and "left the post up" in html


def test_a_moderator_hiding_a_post_tells_its_author(client, moderator, thread):
    post = make_post(thread=thread, author=make_user(), body="A link to a paywalled site")
    login_as(client, moderator)
    client.post(f"/staff/posts/{post.id}/hide", data={"reason": "Please link a free source"})
    [notice] = _notices(post.author)
    assert (notice["action"], notice["reason"]) == ("hide_post", "Please link a free source")
    own = make_post(thread=thread, author=moderator, body="The moderator's own answer")
    hiding.hide_post(moderator, own.id, reason="Hiding my own post")
    assert _notices(moderator) == []
