"""Moderators act on people from /staff/users/<name>: warn, silence, suspend, delete all
their posts, anonymise. Each needs a reason, tells the person (in-app and by email), is
audited, and silence and suspension run out by themselves or are ended early."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.forum import posting, voting
from app.forum.errors import PermissionDenied
from app.forum.models import Post, Thread
from app.moderation.models import AuditEntry
from app.notifications.models import Notification
from app.outreach.audience import silenced_user_ids
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.smtp import read_outbox
from tests.fixtures.users import login, login_as, make_user

REASON = "Repeated insults in the Python category."


@pytest.fixture
def ann(app):
    return make_user(username="ann", points=200)


def _act(client, action: str, username: str = "ann", *, reason: str = REASON, days=None):
    data = {f"{action}-reason": reason}
    if days is not None:
        data[f"{action}-days"] = days
    return client.post(f"/staff/users/{username}/{action}", data=data)


def _entries(action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def _mail(app, to: str):
    [mail] = [m for m in read_outbox(app.config["MAIL_OUTBOX_DIR"]) if m["To"] == to]
    return mail.get_body(("plain",)).get_content()


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _run_out(user: User, column: str) -> None:
    """Time passing, without waiting days: the stored end moves into the past."""
    setattr(user, column, utcnow() - timedelta(seconds=1))
    db.session.commit()


def test_a_warning_reaches_the_member_in_app_and_by_email_and_is_audited(app, client, moderator,
                                                                        ann):
    login_as(client, moderator)
    response = _act(client, "warn")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/users/ann")
    [entry] = _entries()
    assert (entry.action, entry.actor_id, entry.target_user_id, entry.reason) == (
        "warn_user", moderator.id, ann.id, REASON)
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == ann.id, Notification.kind == "moderation"))
    assert note.data["reason"] == REASON and note.actor_id == moderator.id
    assert REASON in _mail(app, "ann@example.com")

    login_as(client, ann)
    page = client.get("/notifications").get_data(as_text=True)
    assert "A warning from the moderators" in page and REASON in page


def test_a_silenced_member_reads_but_cannot_post_or_vote_until_it_runs_out(app, client,
                                                                          moderator, ann):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    login_as(client, moderator)
    assert _act(client, "silence", days=3).status_code == 302
    ann = _fresh(ann)
    assert ann.silenced_until - utcnow() > timedelta(days=2, hours=23)
    [entry] = _entries("silence_user")
    assert entry.before == {"silenced_until": None}
    assert entry.after["silenced_until"].startswith(f"{ann.silenced_until:%Y-%m-%d %H:%M}")
    assert "silenced your account until" in _mail(app, "ann@example.com")

    with pytest.raises(PermissionDenied, match="silenced until"):
        posting.add_reply(ann, thread.id, body="Here is my answer to the question.")
    with pytest.raises(PermissionDenied, match="silenced until"):
        posting.create_thread(ann, kind="discussion", title="A brand new discussion here",
                              body="Something long enough to be a body.",
                              category_id=make_category().id)
    with pytest.raises(PermissionDenied, match="silenced until"):
        voting.cast_vote(ann, answer.id, "up")
    login_as(client, ann)
    assert client.get(f"/t/{thread.id}", follow_redirects=True).status_code == 200  # reading
    refused = client.post(f"/t/{thread.id}/reply", data={"body": "Here is my answer anyway."})
    assert refused.status_code == 403 and b"silenced until" in refused.data
    assert silenced_user_ids([ann.id, moderator.id]) == {ann.id}

    _run_out(ann, "silenced_until")
    assert silenced_user_ids([ann.id]) == set()
    assert client.post(f"/t/{thread.id}/reply",
                       data={"body": "Here is my answer, at last."}).status_code == 302
    assert voting.cast_vote(_fresh(ann), answer.id, "up").changed


def test_a_suspended_member_cannot_log_in_and_their_open_session_ends(app, client, moderator,
                                                                     ann):
    assert login(client, "ann").status_code == 302
    assert client.get("/settings").status_code == 200
    staff = app.test_client()
    login_as(staff, moderator)
    assert _act(staff, "suspend", days=7).status_code == 302
    [entry] = _entries("suspend_user")
    assert entry.before == {"suspended_until": None} and entry.after["suspended_until"]
    assert "suspended your account until" in _mail(app, "ann@example.com")

    assert client.get("/settings").status_code == 302  # the open session no longer works
    client.post("/logout")
    refused = login(client, "ann")
    assert refused.status_code == 422 and b"suspended until" in refused.data

    _run_out(_fresh(ann), "suspended_until")
    assert login(client, "ann").status_code == 302
    assert client.get("/settings").status_code == 200


def test_deleting_all_posts_keeps_the_counts_right(app, client, moderator, ann):
    theirs = make_thread(author=make_user())
    answer = make_post(thread=theirs, author=ann)
    theirs.accepted_post_id = answer.id
    own = make_thread(author=ann)
    make_post(thread=own, author=make_user())
    db.session.commit()
    login_as(client, moderator)
    assert _act(client, "delete_posts").status_code == 302

    db.session.expire_all()
    mine = db.session.scalars(select(Post).where(Post.author_id == ann.id)).all()
    assert len(mine) == 2 and all(p.deleted_at and p.deleted_by_id == moderator.id for p in mine)
    theirs, own = db.session.get(Thread, theirs.id), db.session.get(Thread, own.id)
    assert theirs.reply_count == 0 and theirs.accepted_post_id is None
    assert own.is_deleted
    [entry] = _entries("delete_user_posts")
    assert entry.after == {"posts_removed": 2} and entry.reason == REASON
    assert "removed your posts (2 in all)" in _mail(app, "ann@example.com")


def test_anonymising_keeps_the_content_and_removes_the_identity(app, client, moderator, ann):
    thread = make_thread(author=ann)
    login_as(client, moderator)
    response = _act(client, "anonymise")
    assert response.headers["Location"].endswith(f"/staff/users/deleted-{ann.id}")

    ann = _fresh(ann)
    assert (ann.username, ann.email, ann.is_deleted) == (
        f"deleted-{ann.id}", f"deleted-{ann.id}@invalid", True)
    assert not db.session.get(Thread, thread.id).is_deleted
    [entry] = _entries("anonymise_user")
    assert entry.target_user_id == ann.id and entry.after == {"anonymised": True}
    assert "closed your account" in _mail(app, "ann@example.com")  # the old address
    assert login(app.test_client(), "ann").status_code == 422
    history = client.get(f"/staff/users/deleted-{ann.id}").get_data(as_text=True)
    assert REASON in history


@pytest.mark.parametrize(("action", "data", "message"), [
    ("warn", {"warn-reason": "   "}, "Give a reason"),
    ("silence", {"silence-reason": REASON}, "Choose a period of 1 to 365 days."),
    ("silence", {"silence-reason": REASON, "silence-days": "0"}, "Choose a period"),
    ("suspend", {"suspend-reason": REASON, "suspend-days": "400"}, "Choose a period"),
    ("suspend", {"suspend-reason": REASON, "suspend-days": "soon"}, "Not a valid integer"),
])
def test_bad_input_changes_nothing_and_keeps_what_was_typed(app, client, moderator, ann,
                                                            action, data, message):
    login_as(client, moderator)
    response = client.post(f"/staff/users/ann/{action}", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and data[f"{action}-reason"].strip() in page
    ann = _fresh(ann)
    assert ann.silenced_until is None and ann.suspended_until is None
    assert _entries() == [] and read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []


def test_members_may_not_moderate(client, ann):
    login_as(client, make_user())
    assert client.get("/staff/users/ann").status_code == 403
    assert _act(client, "warn").status_code == 403
    assert _entries() == []


def test_moderators_may_not_act_on_staff_but_admins_act_on_moderators(client, moderator):
    admin = make_user(username="boss", role=Role.ADMIN)
    other = make_user(username="otto", role=Role.MODERATOR)
    login_as(client, moderator)
    assert _act(client, "suspend", "boss", days=1).status_code == 403
    assert _act(client, "silence", "otto", days=1).status_code == 403
    assert "moderation-action" not in client.get("/staff/users/boss").get_data(as_text=True)
    assert _entries() == [] and _fresh(admin).suspended_until is None

    login_as(client, admin)
    assert _act(client, "silence", "otto", days=1).status_code == 302
    assert _act(client, "warn", "mod").status_code == 302
    assert _fresh(other).is_silenced
    assert [e.action for e in _entries()] == ["silence_user", "warn_user"]


def test_the_member_page_shows_the_account_and_its_history_and_the_profile_links_it(
        client, moderator, ann):
    login_as(client, moderator)
    _act(client, "silence", days=2)
    _act(client, "warn", reason="Second time this week.")
    page = client.get("/staff/users/ann").get_data(as_text=True)
    assert "ann@example.com" in page and "Silenced until" in page
    assert page.index("Second time this week.") < page.index(REASON)  # newest first
    assert 'action="/staff/users/ann/suspend"' in page
    assert "/staff/users/ann" in client.get("/u/ann").get_data(as_text=True)

    login_as(client, make_user())
    assert "/staff/users/ann" not in client.get("/u/ann").get_data(as_text=True)


# -- ending a silence or a suspension early --------------------------------------------


def test_ending_a_silence_early_lets_the_member_post_again(app, client, moderator, ann):
    thread = make_thread(author=make_user())
    login_as(client, moderator)
    _act(client, "silence", days=3)
    until = _fresh(ann).silenced_until
    response = _act(client, "unsilence", reason="Appeal heard: it was a misunderstanding.")
    assert response.status_code == 302
    assert _fresh(ann).silenced_until is None
    [entry] = _entries("unsilence_user")
    assert entry.before["silenced_until"].startswith(f"{until:%Y-%m-%d %H:%M}")
    assert entry.after == {"silenced_until": None}
    assert entry.reason == "Appeal heard: it was a misunderstanding."
    [mail] = [m for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])
              if "no longer silenced" in m["Subject"]]
    text = mail.get_body(("plain",)).get_content()
    assert "no longer silenced" in text and "Appeal heard" in text

    login_as(client, ann)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your account is no longer silenced" in page and "Appeal heard" in page
    assert posting.add_reply(_fresh(ann), thread.id, body="Thank you, here is my answer.")


def test_ending_a_suspension_early_lets_the_member_log_in(app, client, moderator, ann):
    staff = app.test_client()
    login_as(staff, moderator)
    _act(staff, "suspend", days=7)
    assert login(client, "ann").status_code == 422
    assert _act(staff, "unsuspend", reason="Suspended the wrong account.").status_code == 302
    [entry] = _entries("unsuspend_user")
    assert entry.before["suspended_until"] and entry.after == {"suspended_until": None}
    [mail] = [m for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])
              if "no longer suspended" in m["Subject"]]
    assert "You can log in again." in mail.get_body(("plain",)).get_content()
    assert login(client, "ann").status_code == 302
    assert "Your account is no longer suspended" in client.get("/notifications").get_data(
        as_text=True)


@pytest.mark.parametrize(("action", "start", "state"), [("unsilence", "silence", "silenced"),
                                                        ("unsuspend", "suspend", "suspended")])
def test_there_is_nothing_to_end_unless_it_lasts(app, client, moderator, ann, action, start,
                                                 state):
    login_as(client, moderator)
    response = _act(client, action, reason="Ending it early.")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"ann is not {state}, so there is nothing to end." in page
    assert "Ending it early." in page  # what was typed stays

    _act(client, start, days=1)
    _run_out(_fresh(ann), f"{state}_until")  # it ran out by itself: nothing to end either
    assert _act(client, action, reason="Ending it early.").status_code == 409
    assert _entries(f"{action}_user") == []
    assert not [m for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])
                if "no longer" in m["Subject"]]


def test_ending_a_silence_needs_a_reason(app, client, moderator, ann):
    login_as(client, moderator)
    _act(client, "silence", days=3)
    response = _act(client, "unsilence", reason="  ")
    assert response.status_code == 422 and b"Give a reason" in response.data
    assert _fresh(ann).is_silenced and _entries("unsilence_user") == []


def test_only_staff_end_a_silence_and_moderators_not_an_admins_suspension(client, moderator,
                                                                          ann):
    admin = make_user(username="boss", role=Role.ADMIN)
    ann.silenced_until = admin.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    login_as(client, make_user())
    assert _act(client, "unsilence").status_code == 403
    login_as(client, moderator)
    assert _act(client, "unsuspend", "boss").status_code == 403
    assert _fresh(ann).is_silenced and _fresh(admin).is_suspended
    assert _entries() == []


def test_the_member_page_offers_ending_only_what_lasts(client, moderator, ann):
    login_as(client, moderator)
    page = client.get("/staff/users/ann").get_data(as_text=True)
    assert "In good standing." in page
    assert "/staff/users/ann/unsilence" not in page and "/staff/users/ann/unsuspend" not in page

    _act(client, "silence", days=2)
    page = client.get("/staff/users/ann").get_data(as_text=True)
    assert "<strong>Silenced until" in page and "End silence" in page
    assert 'action="/staff/users/ann/unsilence"' in page
    assert "/staff/users/ann/unsuspend" not in page

    _run_out(_fresh(ann), "silenced_until")
    page = client.get("/staff/users/ann").get_data(as_text=True)
    assert "In good standing." in page and "/staff/users/ann/unsilence" not in page
