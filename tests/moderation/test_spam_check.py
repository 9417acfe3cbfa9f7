"""The spam check: each rule holds a post (saved, hidden, queued with the rule), ordinary
posts pass, the author reads a notice over their text while others read only the
notice, and moderators approve or delete held posts from the queue, in the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum import posting
from app.forum.errors import Conflict, PermissionDenied
from app.forum.models import Post
from app.moderation import flagging, review
from app.moderation.models import AuditEntry, HeldPost
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

TRUSTED = 60  # level 3: may post many links (a new account still, for its first week)
NOTICE = "held for a moderator&#39;s review"
SPAM = "Cheap watches and more at https://spam.example/offer right now"


@pytest.fixture
def threads(app):
    owner = make_user(username="owner")
    category = make_category()
    return [make_thread(author=owner, category=category, title=f"Question {n} about pandas")
            for n in range(4)]


def _veteran():
    """Level 3 and a month old: past every new-account rule."""
    user = make_user(points=TRUSTED)
    user.created_at -= timedelta(days=30)
    db.session.commit()
    return user


def _reply(author, thread, body: str) -> Post:
    return posting.add_reply(author, thread.id, body=body).post


def _held(post) -> HeldPost | None:
    return db.session.get(HeldPost, post.id)


def _actions(post) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "post", AuditEntry.target_id == post.id)
        .order_by(AuditEntry.id)))


def test_more_than_five_links_holds_the_post(threads):
    author = make_user(points=TRUSTED)
    links = " ".join(f"https://example.com/{n}" for n in range(6))
    post = _reply(author, threads[0], f"Here are my sources: {links}")
    assert post.is_hidden and "More than 5 links" in post.hidden_reason
    assert _held(post).rule == "links" and _held(post).status == "open"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == post.id))
    assert (entry.action, entry.actor_id) == ("hold_post", None)  # the system held it


def test_the_third_copy_of_the_same_text_in_a_day_is_held(threads):
    author = make_user(points=TRUSTED)
    first = _reply(author, threads[0], "Thanks, this solved it for me!")
    second = _reply(author, threads[1], "thanks -- this SOLVED it for me")
    third = _reply(author, threads[2], "Thanks, this solved it for me.")
    assert not first.is_hidden and not second.is_hidden
    assert third.is_hidden and _held(third).rule == "repeated"


def test_a_new_account_spreading_one_link_over_three_threads_is_held(threads):
    newcomer = make_user()
    one = _reply(newcomer, threads[0], f"{SPAM} (one)")
    two = _reply(newcomer, threads[1], f"{SPAM} (two)")
    three = _reply(newcomer, threads[2], f"{SPAM} (three)")
    assert not one.is_hidden and not two.is_hidden
    assert _held(three).rule == "link_spread"
    veteran = _veteran()
    posts = [_reply(veteran, t, f"{SPAM} ({n})") for n, t in enumerate(threads[:3])]
    assert not any(p.is_hidden for p in posts)


def test_a_new_thread_is_screened_too(threads):
    author = make_user(points=TRUSTED)
    links = " ".join(f"https://example.com/{n}" for n in range(6))
    posted = posting.create_thread(author, kind="discussion", title="A list of many links",
                                   body=f"All of these: {links}",
                                   category_id=threads[0].category_id)
    assert posted.post.is_hidden and _held(posted.post).rule == "links"


def test_an_ordinary_post_and_staff_are_not_held(threads, moderator):
    post = _reply(make_user(), threads[0], "Try `df.merge(other, on='key')` for this.")
    assert not post.is_hidden and _held(post) is None
    links = " ".join(f"https://example.com/{n}" for n in range(6))
    assert not _reply(moderator, threads[0], f"Official sources: {links}").is_hidden


def test_the_author_reads_the_notice_over_their_text_and_others_only_the_notice(
        client, threads, moderator):
    author = make_user(points=TRUSTED)
    links = " ".join(f"https://example.com/{n}" for n in range(6))
    post = _reply(author, threads[0], f"Secret spam body {links}")
    url = f"/posts/{post.id}"
    login_as(client, author)
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert NOTICE in page and "Secret spam body" in page
    login_as(client, make_user())
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert NOTICE in page and "Secret spam body" not in page


def test_the_reply_form_says_the_post_is_held(client, threads):
    author = make_user(points=TRUSTED)
    login_as(client, author)
    body = "Sources: " + " ".join(f"https://example.com/{n}" for n in range(6))
    page = client.post(f"/t/{threads[0].id}/reply", data={"body": body},
                       follow_redirects=True).get_data(as_text=True)
    assert "saved and held for a moderator" in page


def test_held_posts_lead_the_queue_with_their_rule(client, threads, moderator):
    flagged = _reply(make_user(), threads[0], "A flagged but ordinary answer here.")
    flagging.flag_post(make_user(points=TRUSTED), flagged.id, reason="spam")
    held = _reply(make_user(points=TRUSTED), threads[1],
                  " ".join(f"https://example.com/{n}" for n in range(6)))
    entries = review.queue_page(page=1).items
    assert [e.post.id for e in entries] == [held.id, flagged.id]
    assert entries[0].held_rule.startswith("More than 5 links") and entries[0].flags == []
    login_as(client, moderator)
    page = client.get("/staff/review").get_data(as_text=True)
    assert "Held by the spam check" in page and "Approve and publish" in page


def test_the_queue_runs_the_same_queries_however_many_held_posts(client, threads, moderator):
    login_as(client, moderator)
    author = make_user(points=TRUSTED)

    def hold(n):
        _reply(author, threads[n % 4], f"Batch {n}: " + " ".join(
            f"https://example.com/{n}/{k}" for k in range(6)))
    hold(0)
    with count_queries() as small:
        assert client.get("/staff/review").status_code == 200
    for n in range(1, 6):
        hold(n)
    with count_queries() as large:
        assert client.get("/staff/review").status_code == 200
    assert large.count == small.count


def test_approving_publishes_the_post_with_an_audit_entry(client, threads, moderator):
    post = _reply(make_user(points=TRUSTED), threads[0],
                  " ".join(f"https://example.com/{n}" for n in range(6)))
    login_as(client, moderator)
    response = client.post(f"/staff/review/held/{post.id}",
                           data={"verdict": "approve", "reason": "Real sources"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not post.is_hidden and _held(post).status == "approved"
    assert _held(post).decided_by_id == moderator.id
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "approve_held_post")).one()
    assert (entry.actor_id, entry.target_id, entry.reason) == (moderator.id, post.id,
                                                              "Real sources")
    assert entry.before["hidden"] is True and entry.after["hidden"] is False
    assert review.queue_page(page=1).total == 0
    with pytest.raises(Conflict):
        review.decide_held(moderator, post.id, verdict="approve")


def test_deleting_a_held_post_deletes_it_with_an_audit_entry(threads, moderator):
    post = _reply(make_user(points=TRUSTED), threads[0],
                  " ".join(f"https://example.com/{n}" for n in range(6)))
    review.decide_held(moderator, post.id, verdict="delete")
    db.session.expire_all()
    assert post.is_deleted and _held(post).status == "deleted"
    assert _actions(post) == ["hold_post", "delete_post"]
    assert "Held by the spam check" in db.session.scalars(select(AuditEntry.reason).where(
        AuditEntry.action == "delete_post")).one()


def test_members_cannot_decide_held_posts(client, threads):
    post = _reply(make_user(points=TRUSTED), threads[0],
                  " ".join(f"https://example.com/{n}" for n in range(6)))
    member = make_user(points=TRUSTED)
    login_as(client, member)
    assert client.post(f"/staff/review/held/{post.id}",
                       data={"verdict": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        review.decide_held(member, post.id, verdict="approve")
    assert _held(post).status == "open"


def test_the_first_posts_setting_holds_new_members_until_one_is_published(app, threads,
                                                                         moderator):
    newcomer = make_user()
    assert not _reply(newcomer, threads[0], "My first answer, without the setting.").is_hidden
    app.config["MODERATION_REVIEW_FIRST_POSTS"] = True
    other = make_user()
    first = _reply(other, threads[0], "My first answer, with the setting on.")
    assert _held(first).rule == "first_posts"
    assert _held(_reply(other, threads[1], "My second answer, still unpublished.")) is not None
    review.decide_held(moderator, first.id, verdict="approve")
    assert not _reply(other, threads[2], "A third answer, after the approval.").is_hidden
    assert not _reply(_veteran(), threads[3], "Not new: a month old, level three.").is_hidden
