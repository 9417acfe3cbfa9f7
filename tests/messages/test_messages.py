"""Private messages: conversations one-to-one and in groups, unread counts, blocking,
reports, the moderators' conversation, and a moderator's warning arriving as a message."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.messages import services
from app.messages.models import Conversation, MessageReport, PrivateMessage
from app.moderation.models import AuditEntry
from app.notifications.models import Notification
from app.timeutil import utcnow
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


@pytest.fixture
def ann(app):
    return make_user(username="ann", points=100)


@pytest.fixture
def bob(app):
    return make_user(username="bob", points=100)


def _send(client, to: str, body: str = "Hello there", subject: str = "Hi"):
    return client.post("/messages/new", data={"recipients": to, "subject": subject,
                                              "body": body})


def _conversation_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_send_and_read_with_unread_counts_and_a_folded_notification(client, ann, bob):
    login_as(client, ann)
    cid = _conversation_id(_send(client, "bob", "First **bold**"))
    client.post(f"/messages/{cid}/reply", data={"body": "Second"})
    assert services.unread_count(bob.id) == 1
    assert services.unread_count(ann.id) == 0
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == bob.id, Notification.kind == "message"))
    assert note.count == 2 and note.data["conversation_id"] == cid

    login_as(client, bob)
    inbox = client.get("/messages").get_data(as_text=True)
    assert "unread-marker" in inbox and "Hi" in inbox
    assert 'aria-label="Messages, 1 unread"' in inbox
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert page.index("<strong>bold</strong>") < page.index("Second")  # oldest first
    assert services.unread_count(bob.id) == 0
    assert "unread-marker" not in client.get("/messages").get_data(as_text=True)
    client.post(f"/messages/{cid}/reply", data={"body": "Hello back"})
    assert services.unread_count(ann.id) == 1
    notes = client.get("/notifications").get_data(as_text=True)
    assert "2 new messages" in notes


def test_a_group_conversation_reaches_everyone_and_is_capped(client, ann, bob):
    cat = make_user(username="cat", points=100)
    login_as(client, ann)
    cid = _conversation_id(_send(client, "bob, @cat", "To you both"))
    assert services.unread_count(bob.id) == services.unread_count(cat.id) == 1
    assert db.session.get(Conversation, cid).kind == "group"
    login_as(client, cat)
    client.post(f"/messages/{cid}/reply", data={"body": "Hi all"})
    assert services.unread_count(ann.id) == 1

    too_many = ", ".join(make_user().username for _ in range(10))
    login_as(client, ann)
    response = _send(client, too_many)
    assert response.status_code == 422
    assert "at most 10 people" in response.get_data(as_text=True)
    assert "There is no member called nobody" in _send(client, "nobody").get_data(as_text=True)


def test_markdown_is_sanitised(client, ann, bob):
    login_as(client, ann)
    cid = _conversation_id(_send(
        client, "bob", "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>"))
    [message] = db.session.scalars(select(PrivateMessage))
    assert "<script" not in message.body_html and "href=\"javascript" not in message.body_html
    login_as(client, bob)
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page  # shown as text, never run


def test_a_blocked_member_cannot_start_or_continue(client, ann, bob):
    login_as(client, ann)
    cid = _conversation_id(_send(client, "bob"))
    login_as(client, bob)
    client.post("/messages/block/ann")
    login_as(client, ann)
    response = client.post(f"/messages/{cid}/reply", data={"body": "Still there?"})
    assert response.status_code == 422
    assert "You cannot message bob: they have blocked you." in response.get_data(as_text=True)
    response = _send(client, "bob")
    assert response.status_code == 403
    assert "they have blocked you" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(PrivateMessage.id))) == 1

    login_as(client, bob)
    client.post("/messages/unblock/ann")
    login_as(client, ann)
    assert client.post(f"/messages/{cid}/reply", data={"body": "Back"}).status_code == 302


def test_staff_cannot_be_blocked(client, ann, moderator):
    login_as(client, ann)
    client.post("/messages/block/mod")
    assert services.blocked_ids(ann) == set()


def test_reporting_a_message_and_resolving_it_is_audited(client, ann, bob, moderator):
    login_as(client, ann)
    cid = _conversation_id(_send(client, "bob", "Something rude"))
    [message] = db.session.scalars(select(PrivateMessage))
    assert client.post(f"/messages/report/{message.id}",
                       data={"reason": "mine"}).status_code == 302
    assert db.session.scalars(select(MessageReport)).first() is None  # not your own

    login_as(client, bob)
    client.post(f"/messages/report/{message.id}", data={"reason": "Insulting"})
    [report] = db.session.scalars(select(MessageReport))
    assert client.get("/staff/messages/reports").status_code == 403

    login_as(client, moderator)
    page = client.get("/staff/messages/reports").get_data(as_text=True)
    assert "Insulting" in page and "Something rude" in page
    client.post(f"/staff/messages/reports/{report.id}/resolve", data={"note": ""})
    assert db.session.get(MessageReport, report.id).resolved_at is None  # a note is needed
    client.post(f"/staff/messages/reports/{report.id}/resolve", data={"note": "Warned ann"})
    db.session.expire_all()
    assert db.session.get(MessageReport, report.id).resolved_by_id == moderator.id
    [entry] = db.session.scalars(select(AuditEntry))
    assert (entry.action, entry.reason, entry.target_user_id) == (
        "resolve_message_report", "Warned ann", ann.id)
    assert "No open reports" in client.get("/staff/messages/reports").get_data(as_text=True)
    assert client.get(f"/messages/{cid}").status_code == 404  # staff read reports, not chats


def test_a_reported_message_waits_in_the_review_queue_and_is_resolved_there(
        client, ann, bob, moderator):
    login_as(client, ann)
    _send(client, "bob", "Something rude")
    [message] = db.session.scalars(select(PrivateMessage))
    login_as(client, bob)
    client.post(f"/messages/report/{message.id}", data={"reason": "Insulting"})
    [report] = db.session.scalars(select(MessageReport))

    login_as(client, moderator)
    page = client.get("/staff/review").get_data(as_text=True)
    assert "Reported private messages" in page and "Insulting" in page
    assert "Something rude" in page and "Nothing to review" not in page
    response = client.post(f"/staff/messages/reports/{report.id}/resolve?back=queue",
                           data={"note": "Warned ann"})
    assert response.headers["Location"].endswith("/staff/review")
    page = client.get("/staff/review").get_data(as_text=True)
    assert "Reported private messages" not in page and "Nothing to review" in page


def test_contacting_the_moderators_reaches_every_moderator(client, moderator):
    newcomer = make_user(username="newbie")
    admin = make_user(username="boss", role=Role.ADMIN)
    login_as(client, newcomer)
    assert "Contact the moderators" in client.get("/messages").get_data(as_text=True)
    response = client.post("/messages/moderators", data={"subject": "Help", "body": "Why?"})
    cid = _conversation_id(response)
    assert services.unread_count(moderator.id) == services.unread_count(admin.id) == 1
    later = make_user(username="mod2", role=Role.MODERATOR)  # appointed afterwards
    login_as(client, later)
    assert client.post(f"/messages/{cid}/reply", data={"body": "Because"}).status_code == 302
    assert services.unread_count(newcomer.id) == 1
    login_as(client, make_user(username="other", points=100))
    assert client.get(f"/messages/{cid}").status_code == 404


def test_a_warning_arrives_as_a_message_from_the_moderator(app, client, ann, moderator):
    login_as(client, moderator)
    client.post("/staff/users/ann/warn", data={"warn-reason": "Be kind in reviews."})
    [conversation] = db.session.scalars(select(Conversation))
    [message] = db.session.scalars(select(PrivateMessage))
    assert (message.sender_id, message.body) == (moderator.id, "Be kind in reviews.")
    assert db.session.scalars(select(Notification).where(
        Notification.user_id == ann.id, Notification.kind == "moderation")).first()
    login_as(client, ann)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Be kind in reviews." in page
    assert client.post(f"/messages/{conversation.id}/reply",
                       data={"body": "Sorry"}).status_code == 302


def test_level_1_writes_only_to_staff(client, ann, moderator):
    newcomer = make_user(username="newbie")
    login_as(client, newcomer)
    response = _send(client, "ann")
    assert response.status_code == 403
    assert "from level 2" in response.get_data(as_text=True)
    assert _send(client, "mod").status_code == 302


def test_level_1_may_answer_a_member_who_wrote_to_them(client, ann, bob):
    newcomer = make_user(username="newbie")
    login_as(client, ann)
    cid = _conversation_id(_send(client, "newbie", "Welcome aboard"))
    login_as(client, newcomer)
    assert client.post(f"/messages/{cid}/reply", data={"body": "Thanks!"}).status_code == 302
    assert db.session.scalar(select(db.func.count(PrivateMessage.id)).where(
        PrivateMessage.sender_id == newcomer.id)) == 1


def test_silenced_members_write_only_to_the_moderators(client, ann, bob):
    ann.silenced_until = utcnow() + timedelta(days=3)
    db.session.commit()
    login_as(client, ann)
    response = _send(client, "bob")
    assert response.status_code == 403 and "silenced" in response.get_data(as_text=True)
    assert client.post("/messages/moderators",
                       data={"subject": "Appeal", "body": "Please"}).status_code == 302


def test_a_non_participant_gets_404(client, ann, bob):
    login_as(client, ann)
    cid = _conversation_id(_send(client, "bob"))
    login_as(client, make_user(username="eve", points=100))
    assert client.get(f"/messages/{cid}").status_code == 404
    assert client.post(f"/messages/{cid}/reply", data={"body": "hi"}).status_code == 404
    [message] = db.session.scalars(select(PrivateMessage))
    assert client.post(f"/messages/report/{message.id}",
                       data={"reason": "x"}).status_code == 404


def test_anonymous_visitors_go_to_log_in(client):
    assert client.get("/messages").status_code == 302


def test_the_inbox_runs_a_bounded_number_of_queries(client, ann):
    def inbox_queries() -> int:
        with count_queries() as log:
            assert client.get("/messages").status_code == 200
        return log.count

    login_as(client, ann)
    for n in range(2):
        services.start_conversation(ann, [make_user(points=100).username],
                                    subject=f"s{n}", body="x")
    few = inbox_queries()
    for n in range(8):
        services.start_conversation(ann, [make_user(points=100).username,
                                          make_user(points=100).username],
                                    subject=f"t{n}", body="y")
    assert inbox_queries() == few
