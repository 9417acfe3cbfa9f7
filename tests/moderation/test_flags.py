"""Flagging posts: who may, what a flag must say, the automatic hiding by trusted
members, and what a hidden post shows to whom (and to search)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.permissions import can_flag
from app.forum.search import search
from app.moderation import flagging, hiding
from app.moderation.models import AuditEntry, Flag
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import give_points, login_as, make_user

LEVEL_2, LEVEL_3 = 20, 60  # points: flagging unlocks at 15 (level 2); level 3 is at 50


@pytest.fixture
def author(app):
    return make_user(username="ann")


@pytest.fixture
def thread(author):
    return make_thread(author=author, title="Reading parquet files",
                       body="Buy cheap watches at example dot com")


@pytest.fixture
def flagger(app):
    return make_user(username="fred", points=LEVEL_2)


def _flags() -> list[Flag]:
    return list(db.session.scalars(select(Flag).order_by(Flag.id)))


def test_a_member_flags_a_post_through_the_form(client, thread, flagger):
    post = first_post(thread)
    login_as(client, flagger)
    page = client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert f"/posts/{post.id}/flag" in page
    assert "Spam" in client.get(f"/posts/{post.id}/flag").get_data(as_text=True)
    response = client.post(f"/posts/{post.id}/flag", data={"reason": "spam"})
    assert response.status_code == 302
    [flag] = _flags()
    assert (flag.post_id, flag.flagger_id, flag.reason, flag.status) == (
        post.id, flagger.id, "spam", "open")


def test_other_needs_text_and_keeps_it(thread, flagger):
    post = first_post(thread)
    with pytest.raises(ValidationError) as error:
        flagging.flag_post(flagger, post.id, reason="other", text="   ")
    assert error.value.field == "text"
    flagging.flag_post(flagger, post.id, reason="other", text="Advert for watches")
    assert _flags()[0].text == "Advert for watches"


def test_a_duplicate_flag_links_to_a_live_thread(author, thread, flagger):
    original = make_thread(author=author, title="Parquet in pandas")
    post = first_post(thread)
    for bad in ("", "not a link", str(thread.id), "/t/999999/nothing"):
        with pytest.raises(ValidationError) as error:
            flagging.flag_post(flagger, post.id, reason="duplicate", duplicate=bad)
        assert error.value.field == "duplicate"
    flagging.flag_post(flagger, post.id, reason="duplicate",
                       duplicate=f"https://guildhall.test/t/{original.id}/{original.slug}")
    assert _flags()[0].duplicate_of_id == original.id


def test_bad_input_re_renders_the_form_with_the_error(client, thread, flagger):
    post = first_post(thread)
    login_as(client, flagger)
    no_reason = client.post(f"/posts/{post.id}/flag", data={})
    assert no_reason.status_code == 422
    assert "Choose why this post needs a moderator." in no_reason.get_data(as_text=True)
    unknown = client.post(f"/posts/{post.id}/flag", data={"reason": "boring"})
    assert unknown.status_code == 422
    other = client.post(f"/posts/{post.id}/flag", data={"reason": "other", "text": ""})
    assert "Tell the moderators what is wrong" in other.get_data(as_text=True)
    duplicate = client.post(f"/posts/{post.id}/flag",
                            data={"reason": "duplicate", "duplicate": "elsewhere"})
    page = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 422 and "value=\"elsewhere\"" in page
    assert _flags() == []


def test_flagging_takes_the_privilege(client, thread):
    newcomer = make_user(username="newbie")  # 1 point; flagging unlocks at 15
    post = first_post(thread)
    with pytest.raises(PermissionDenied, match="15 points"):
        flagging.flag_post(newcomer, post.id, reason="spam")
    login_as(client, newcomer)
    assert f"/posts/{post.id}/flag" not in client.get(
        f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert client.post(f"/posts/{post.id}/flag", data={"reason": "spam"}).status_code == 403
    assert _flags() == []


def test_nobody_flags_their_own_post(client, thread, author):
    post = first_post(thread)
    give_points(author, LEVEL_2)
    with pytest.raises(PermissionDenied, match="your own post"):
        flagging.flag_post(author, post.id, reason="spam")


def test_a_silenced_member_cannot_flag(thread, flagger):
    flagger.silenced_until = utcnow() + timedelta(days=1)
    db.session.commit()
    post = first_post(thread)
    assert not can_flag(flagger, post)
    with pytest.raises(PermissionDenied, match="silenced"):
        flagging.flag_post(flagger, post.id, reason="spam")
    assert _flags() == []


def test_one_flag_per_person_per_post(client, thread, flagger):
    post = first_post(thread)
    flagging.flag_post(flagger, post.id, reason="spam")
    with pytest.raises(Conflict, match="already flagged"):
        flagging.flag_post(flagger, post.id, reason="rude")
    login_as(client, flagger)
    assert client.post(f"/posts/{post.id}/flag", data={"reason": "rude"}).status_code == 409
    assert len(_flags()) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, thread):
    response = client.post(f"/posts/{first_post(thread).id}/flag", data={"reason": "spam"})
    assert response.status_code == 302 and "/login" in response.location


def test_three_level_3_spam_flags_hide_the_post_at_once(thread):
    post = make_post(thread=thread, author=thread.author, body="Cheap watches, click here")
    trusted = [make_user(points=LEVEL_3) for _ in range(3)]
    flagging.flag_post(trusted[0], post.id, reason="spam")
    flagging.flag_post(trusted[1], post.id, reason="rude")
    assert not post.is_hidden
    flagging.flag_post(trusted[2], post.id, reason="spam")
    assert post.is_hidden and post.hidden_by_id is None
    assert post.hidden_notice == "This post is hidden while moderators review it."
    [entry] = db.session.scalars(select(AuditEntry).filter_by(action="hide_post"))
    assert entry.actor_id is None and entry.target_id == post.id


def test_lower_level_flags_do_not_hide(thread):
    post = make_post(thread=thread, author=thread.author, body="Cheap watches, click here")
    for _ in range(4):  # level 2: the lowest level that can flag at all
        flagging.flag_post(make_user(points=LEVEL_2), post.id, reason="spam")
    assert not post.is_hidden


def test_trusted_flags_for_other_reasons_do_not_hide(thread):
    post = make_post(thread=thread, author=thread.author)
    for reason in ("off_topic", "off_topic", "other"):
        flagging.flag_post(make_user(points=LEVEL_3), post.id, reason=reason, text="meh")
    assert not post.is_hidden


def test_a_hidden_body_shows_only_to_its_author_and_staff(client, author, thread, flagger):
    moderator = make_user(username="mod", role=Role.MODERATOR)
    post = make_post(thread=thread, author=author, body="Totally secret sauce")
    hiding.hide_post(moderator, post.id, reason="Advertising")
    url = f"/t/{thread.id}/{thread.slug}"

    anonymous = client.get(url).get_data(as_text=True)
    assert "Totally secret sauce" not in anonymous
    assert "This post was hidden by a moderator." in anonymous
    login_as(client, flagger)
    assert "Totally secret sauce" not in client.get(url).get_data(as_text=True)
    for viewer in (author, moderator):
        login_as(client, viewer)
        assert "Totally secret sauce" in client.get(url).get_data(as_text=True)

    hiding.restore_post(moderator, post.id, reason="Fixed by the author")
    login_as(client, flagger)
    assert "Totally secret sauce" in client.get(url).get_data(as_text=True)
    actions = [(e.action, e.reason) for e in db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [("hide_post", "Advertising"), ("restore_post", "Fixed by the author")]


def test_hidden_posts_leave_search_and_come_back_on_restore(author, thread):
    moderator = make_user(role=Role.MODERATOR)
    post = make_post(thread=thread, author=author, body="Zanzibar is the answer")
    assert [h.post_id for h in search("zanzibar", viewer=None).hits] == [post.id]
    hiding.hide_post(moderator, post.id, reason="spam")
    assert search("zanzibar", viewer=None).total == 0
    # The opening post carries the title: hiding it takes the thread's title out too.
    hiding.hide_post(moderator, first_post(thread).id, reason="spam")
    assert search("parquet", viewer=None).total == 0
    hiding.restore_post(moderator, post.id)
    assert [h.post_id for h in search("zanzibar", viewer=None).hits] == [post.id]


def test_members_may_not_hide_or_restore(client, author, thread, flagger):
    post = first_post(thread)
    with pytest.raises(PermissionDenied):
        hiding.hide_post(flagger, post.id, reason="no")
    login_as(client, flagger)
    assert client.post(f"/staff/posts/{post.id}/hide").status_code == 403
    assert not post.is_hidden
