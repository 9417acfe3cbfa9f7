"""Notification emails, from posts made through the real services to messages received by
a real SMTP server on loopback (aiosmtpd), through the registered jobs."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.billing import local_mode
from app.billing import services as billing
from app.billing.models import Plan
from app.extensions import db
from app.forum import posting, voting
from app.forum.models import Thread
from app.messages import services as messages
from app.notifications import services as notifications
from app.notifications.models import Notification
from app.outreach import preferences
from app.outreach.models import EmailBounce, EmailMessage, MessageStatus
from app.timeutil import utcnow
from jobs.registry import all_jobs
from jobs.runner import run_job
from tests.fixtures.forum import first_post, get_or_make_tags, make_category
from tests.fixtures.smtp import link_in, running_smtp_server
from tests.fixtures.users import login_as, make_user

_bodies = iter(range(1, 10_000))


@pytest.fixture
def smtp(app):
    with running_smtp_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port,
                          OUTREACH_SEND_RATE=1000)
        yield server


@pytest.fixture
def asker(app):
    return make_user(username="asker", display_name="Ada Asker")


def _ask(author, *, category=None, title="How do I read a large file lazily?"):
    get_or_make_tags(["python"])
    db.session.commit()
    category = category or make_category()
    return posting.create_thread(author, kind="question", title=title, body=_body(),
                                 category_id=category.id, tags="python").thread


def _answer(thread, author=None, body: str | None = None):
    return posting.add_reply(author or make_user(), thread.id, body=body or _body()).post


def _body(text: str = "Here is how I would go about it") -> str:
    return f"{text} (#{next(_bodies)})."


def _run(name: str) -> dict:
    """Run a registered job as the scheduler would, a little after now (the jobs leave
    the last minute alone while its notifications may still be committing)."""
    outcome = run_job(name, as_of=utcnow() + timedelta(minutes=2))
    assert outcome.ok, outcome.run.error
    return outcome.run.counts


def _messages(user=None) -> list[EmailMessage]:
    db.session.expire_all()
    query = select(EmailMessage).order_by(EmailMessage.id)
    if user is not None:
        query = query.where(EmailMessage.user_id == user.id)
    return list(db.session.scalars(query))


# -- right away ------------------------------------------------------------------------


def test_an_answer_is_one_email_with_both_parts_a_reason_tracked_links_and_unsubscribe(
        client, smtp, asker):
    thread = _ask(asker)
    answer = _answer(thread, make_user(display_name="Bea Helper"))

    counts = _run("notify-email")

    assert (counts["queued"], counts["sent"]) == (1, 1)
    [mail] = smtp.to(asker.email)
    line = "Bea Helper answered your question “How do I read a large file lazily?”"
    assert mail.message["Subject"] == line
    assert line in mail.text and "Bea Helper answered your question" in mail.html
    reason = ("You are getting this because you chose to hear about answers to your "
              "questions right away.")
    assert reason in mail.text and reason in mail.html
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in mail.message["List-Unsubscribe"]
    [row] = _messages(asker)
    assert (row.campaign, row.kind, row.status) == ("notify", "answer", MessageStatus.SENT)
    assert row.data["notifications"] == [n.id for n in _notes(asker) if n.kind == "answer"]

    followed = client.get(link_in(mail.text, "/r/"))
    assert followed.status_code == 302 and followed.headers["Location"] == f"/posts/{answer.id}"
    assert _messages(asker)[0].clicked_at is not None
    settings = client.get(link_in(mail.text.split("Choose what we email you about")[1], "/r/"))
    assert settings.headers["Location"] == "/settings/email"


def test_five_answers_on_one_thread_are_one_email_with_one_line(smtp, asker):
    thread = _ask(asker)
    for _ in range(5):
        _answer(thread)

    _run("notify-email")

    [mail] = smtp.messages
    assert mail.message["Subject"] == "5 new answers on “How do I read a large file lazily?”"
    assert mail.text.count("/r/") == 3  # the line, all notifications, the preferences


def test_a_rerun_sends_nothing_new_and_later_news_makes_a_new_email(smtp, asker):
    thread = _ask(asker)
    _answer(thread)
    _run("notify-email")

    again = _run("notify-email")
    assert (again["queued"], again["sent"], len(smtp.messages)) == (0, 0, 1)

    _answer(thread)  # folds into the same unread notification: now two answers
    _run("notify-email")

    assert len(smtp.messages) == 2
    assert smtp.messages[1].message["Subject"].startswith("2 new answers on")
    assert len(_messages(asker)) == 2


def test_news_of_several_kinds_is_one_email_that_names_each_kind(smtp, asker):
    thread = _ask(asker)
    _answer(thread)
    _answer(_ask(make_user(), title="Where do wheels get built?"), body=_body("You could ask @asker about this"))

    _run("notify-email")

    [mail] = smtp.to(asker.email)
    assert mail.message["Subject"].endswith("(and 1 more)")
    assert ("chose to hear about mentions of you and answers to your questions right away"
            in mail.text)
    assert "Turn off emails about mentions of you" in mail.text
    assert "Turn off emails about answers to your questions" in mail.text
    [row] = _messages(asker)
    assert row.kind == "mention"  # the newest news set it off, and its header turns it off


def test_badges_and_levels_stay_in_the_app(smtp, asker):
    notifications.notify(asker.id, "level_up", data={"level": 2, "name": "Learner"})
    db.session.commit()

    assert _run("notify-email")["queued"] == 0
    assert smtp.messages == []


# -- preferences -----------------------------------------------------------------------


def test_daily_kinds_wait_for_the_summary_which_is_sent_once_a_day(smtp, asker):
    thread = _ask(asker)
    answerer = make_user()
    voting.accept_answer(asker, _answer(thread, answerer).id)  # accepted: daily by default

    _run("notify-email")
    assert smtp.to(answerer.email) == []

    _run("summary-email")
    [mail] = smtp.to(answerer.email)
    assert mail.message["Subject"] == "Your Guildhall summary: 1 new notification"
    assert "Ada Asker accepted your answer to “How do I read a large file lazily?”" in mail.text
    assert "chose a daily summary of your answers being accepted" in mail.text
    [row] = _messages(answerer)
    assert (row.campaign, row.period) == ("summary", (utcnow() + timedelta(minutes=2)).date()
                                          .isoformat())

    assert _run("summary-email")["queued"] == 0
    assert len(smtp.to(answerer.email)) == 1


def test_a_kind_set_to_daily_is_not_sent_right_away(smtp, asker):
    _set(asker, "answer", preferences.DAILY)
    _answer(_ask(asker))

    _run("notify-email")
    assert smtp.messages == []
    _run("summary-email")
    assert len(smtp.to(asker.email)) == 1


def test_never_sends_nothing(smtp, asker):
    _set(asker, "answer", preferences.NEVER)
    _answer(_ask(asker))

    _run("notify-email")
    _run("summary-email")

    assert smtp.messages == [] and _messages() == []


def test_the_unsubscribe_header_turns_that_kind_off(client, smtp, asker):
    thread = _ask(asker)
    _answer(thread)
    _run("notify-email")
    [mail] = smtp.messages
    link = mail.message["List-Unsubscribe"].strip("<>")

    response = client.post(link, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert preferences.mode_of(asker.id, "answer") == preferences.NEVER
    assert preferences.mode_of(asker.id, "mention") == preferences.IMMEDIATELY
    _answer(thread)
    _run("notify-email")
    assert len(smtp.messages) == 1


# -- who and what is never emailed -----------------------------------------------------


def test_a_member_only_thread_is_not_emailed_to_someone_who_is_no_longer_a_member(smtp):
    billing.sync_plans()
    asker = make_user()
    local_mode.subscribe(asker, db.session.scalar(select(Plan).filter_by(slug="yearly")))
    _set(asker, "membership", preferences.NEVER)  # the welcome is not what this is about
    lounge = make_category(name="Members' Lounge", member_only=True)
    thread = _ask(asker, category=lounge)
    _answer(thread, make_user(role="moderator"))  # staff read and post in member areas

    local_mode.portal_action(asker, "end_now")
    _run("notify-email")

    assert smtp.messages == []
    [answered] = [n for n in _notes(asker) if n.kind == "answer"]
    assert answered.read_at is None, "still in the app, where access is checked on reading"


def test_news_about_a_deleted_thread_is_not_emailed(smtp, asker):
    thread = _ask(asker)
    _answer(thread)
    posting.delete_post(asker, first_post(db.session.get(Thread, thread.id)).id)

    _run("notify-email")

    assert smtp.messages == []


@pytest.mark.parametrize("who", ["unverified", "suspended", "deleted", "bounced"])
def test_nobody_is_emailed_who_cannot_or_should_not_receive_it(smtp, asker, who):
    thread = _ask(asker)
    _answer(thread)
    if who == "unverified":
        asker.email_verified_at = None
    elif who == "suspended":
        asker.suspended_until = utcnow() + timedelta(days=3)
    elif who == "deleted":
        asker.deleted_at = utcnow()
    else:
        db.session.add(EmailBounce(user_id=asker.id, email=asker.email, reason="550"))
    db.session.commit()

    counts = _run("notify-email")

    assert counts["queued"] == 0 and smtp.messages == []


def test_news_read_before_the_email_goes_out_is_not_sent(app, asker):
    thread = _ask(asker)
    _answer(thread)
    with running_smtp_server() as server:
        port = server.port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)  # nobody listens there now
    assert _run("notify-email")["retrying"] == 1
    notifications.mark_all_read(asker)

    with running_smtp_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
        counts = _run("notify-email")

    assert (counts["skipped"], counts["sent"]) == (1, 0) and server.messages == []
    assert [row.status for row in _messages(asker)] == [MessageStatus.SKIPPED]


# -- membership ------------------------------------------------------------------------


def test_a_failed_payment_is_one_email_through_the_membership_preference(client, smtp):
    billing.sync_plans()
    member = make_user()
    local_mode.subscribe(member, db.session.scalar(select(Plan).filter_by(slug="yearly")))
    _run("notify-email")  # the welcome
    local_mode.portal_action(member, "fail_payment")

    assert len(smtp.to(member.email)) == 1, "the webhook itself sends nothing"
    _run("notify-email")
    _run("notify-email")

    welcome, failed = smtp.to(member.email)
    assert welcome.message["Subject"].startswith("Welcome, member!")
    assert failed.message["Subject"].startswith("Your membership payment failed: update your card")
    assert client.get(link_in(failed.text, "/r/")).headers["Location"] == "/membership/manage"
    assert db.session.scalar(select(func.count()).select_from(EmailMessage)) == 2


# -- private messages ------------------------------------------------------------------

SECRET = "My new address is 12 Hidden Lane"


@pytest.fixture
def writer(app):
    return make_user(username="writer", display_name="Wanda Writer", points=100)


def _write(sender, to, *, subject: str = "Meeting on Friday", body: str = SECRET):
    return messages.start_conversation(sender, [to.username], subject=subject, body=body)


def test_a_private_message_is_emailed_with_sender_and_subject_but_never_its_body(
        client, smtp, asker, writer):
    conversation = _write(writer, asker)

    counts = _run("notify-email")

    assert (counts["queued"], counts["sent"]) == (1, 1)
    [mail] = smtp.to(asker.email)
    line = "Wanda Writer sent you a private message: “Meeting on Friday”"
    assert mail.message["Subject"] == line
    assert line in mail.text and "Wanda Writer sent you a private message" in mail.html
    assert SECRET not in mail.text and SECRET not in mail.html
    assert "chose to hear about private messages right away" in mail.text
    assert "Turn off emails about private messages" in mail.text
    [row] = _messages(asker)
    assert (row.campaign, row.kind) == ("notify", "message")
    followed = client.get(link_in(mail.text, "/r/"))
    assert followed.headers["Location"] == f"/messages/{conversation.id}"


def test_several_messages_in_one_conversation_are_one_line(smtp, asker, writer):
    conversation = _write(writer, asker)
    messages.reply(writer, conversation.id, "And a second thing, just as private.")
    _write(make_user(username="other", points=100), asker, subject="Lunch?", body="Noon?")

    _run("notify-email")

    [mail] = smtp.to(asker.email)
    assert mail.message["Subject"] == "other sent you a private message: “Lunch?” (and 1 more)"
    assert ("2 new private messages in “Meeting on Friday”, the latest from Wanda Writer"
            in mail.text)
    assert mail.text.count("/r/") == 4  # two lines, all notifications, the preferences
    assert "second thing" not in mail.text and "Noon?" not in mail.text


def test_a_moderators_warning_is_emailed_once_not_again_as_a_private_message(
        client, smtp, asker, moderator):
    login_as(client, moderator)
    client.post(f"/staff/users/{asker.username}/warn",
                data={"warn-reason": "Please keep reviews civil."})

    _run("notify-email")

    [mail] = smtp.to(asker.email)  # the warning's own email, with its reason
    assert "a warning from the moderators" in mail.message["Subject"]
    assert "Please keep reviews civil." in mail.text
    assert "private message" not in mail.message["Subject"]


@pytest.mark.parametrize("then", ["read", "blocked", "never"])
def test_a_message_read_blocked_or_not_wanted_is_not_emailed(smtp, asker, writer, then):
    conversation = _write(writer, asker)
    if then == "read":
        messages.open_conversation(asker, conversation.id)
    elif then == "blocked":
        messages.block(asker, writer.username)
    else:
        _set(asker, "message", preferences.NEVER)

    _run("notify-email")
    _run("summary-email")

    assert smtp.messages == [] and _messages() == []


def test_a_message_read_while_its_email_waits_is_not_sent(app, asker, writer):
    conversation = _write(writer, asker)
    with running_smtp_server() as server:
        port = server.port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)  # nobody listens there now
    assert _run("notify-email")["retrying"] == 1
    messages.open_conversation(asker, conversation.id)

    with running_smtp_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
        counts = _run("notify-email")

    assert (counts["skipped"], counts["sent"]) == (1, 0) and server.messages == []


def test_private_messages_can_wait_for_the_daily_summary(smtp, asker, writer):
    _set(asker, "message", preferences.DAILY)
    _write(writer, asker)

    _run("notify-email")
    assert smtp.messages == []
    _run("summary-email")

    [mail] = smtp.to(asker.email)
    assert mail.message["Subject"] == "Your Guildhall summary: 1 new notification"
    assert "Wanda Writer sent you a private message: “Meeting on Friday”" in mail.text
    assert "chose a daily summary of private messages" in mail.text
    assert SECRET not in mail.text and SECRET not in mail.html


def test_the_jobs_are_registered_on_their_schedules():
    jobs = all_jobs()
    assert str(jobs["notify-email"].schedule) == "every 5 minutes"
    assert str(jobs["summary-email"].schedule) == "daily at 07:00 UTC"


def _set(user, kind: str, mode: str) -> None:
    preferences.set_mode(user.id, kind, mode)
    db.session.commit()


def _notes(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))
