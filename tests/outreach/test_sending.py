"""Delivering logged messages to a real SMTP server on loopback (aiosmtpd)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.outreach import sending
from app.outreach.models import EmailBounce, EmailMessage, MessageStatus
from app.timeutil import utcnow
from tests.fixtures.concurrency import side_by_side
from tests.fixtures.smtp import free_port, running_smtp_server
from tests.fixtures.users import make_user


def _render(row, user):
    return sending.Outgoing(subject=f"Hello {user.username}", text="Plain words",
                            html="<p>Plain words</p>", headers={"X-Campaign": row.campaign})


def _queue(n: int, campaign: str = "test") -> list[int]:
    rows = [EmailMessage(user_id=make_user().id, kind="reengagement", campaign=campaign,
                         period="2026-12-01") for _ in range(n)]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _use(app, server) -> None:
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)


def _statuses(ids) -> list[str]:
    db.session.expire_all()
    return [db.session.get(EmailMessage, i).status for i in ids]


def test_pending_rows_go_out_over_one_connection_and_only_once(app):
    ids = _queue(3)
    with running_smtp_server() as server:
        _use(app, server)
        delivery = sending.deliver(ids, _render, rate=1000)
        again = sending.deliver(ids, _render, rate=1000)
    assert (delivery.sent, again.sent) == (3, 0)
    assert server.connections == 1 and len(server.messages) == 3
    mail = server.messages[0]
    assert mail.message["X-Campaign"] == "test" and mail.text.strip() == "Plain words"
    assert "<p>Plain words</p>" in mail.html
    assert _statuses(ids) == ["sent"] * 3
    row = db.session.get(EmailMessage, ids[0])
    assert row.subject.startswith("Hello ") and row.sent_at is not None and row.attempts == 1


def test_a_row_with_nothing_to_say_is_skipped(app):
    [message_id] = _queue(1)
    with running_smtp_server() as server:
        _use(app, server)
        delivery = sending.deliver([message_id], lambda row, user: None, rate=1000)
    assert delivery.skipped == 1 and server.messages == []
    assert _statuses([message_id]) == ["skipped"]


def test_a_server_that_goes_away_leaves_the_rest_pending_for_the_next_run(app):
    ids = _queue(4)
    with running_smtp_server() as server:
        _use(app, server)
        sending.deliver(ids[:2], _render, rate=1000)
    # The server is gone now: nothing listens on its port.
    stopped = sending.deliver(ids, _render, rate=1000)
    assert stopped.stopped_early == 1 and stopped.retrying == 1 and stopped.sent == 0
    assert _statuses(ids) == ["sent", "sent", "pending", "pending"]
    with running_smtp_server() as server:
        _use(app, server)
        resumed = sending.deliver(ids, _render, rate=1000)
    assert resumed.sent == 2
    assert sorted(m.rcpt_tos[0] for m in server.messages) == sorted(_email_of(i) for i in ids[2:])
    assert _statuses(ids) == ["sent"] * 4


def _email_of(message_id: int) -> str:
    return db.session.get(User, db.session.get(EmailMessage, message_id).user_id).email


def test_a_failing_row_is_retried_a_bounded_number_of_times(app):
    [message_id] = _queue(1)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    for _ in range(sending.MAX_ATTEMPTS):
        sending.deliver([message_id], _render, rate=1000)
    row = db.session.get(EmailMessage, message_id)
    assert row.status == MessageStatus.FAILED and row.attempts == sending.MAX_ATTEMPTS
    assert f"attempt {sending.MAX_ATTEMPTS}" in row.error


def test_a_refused_address_is_a_bounce_and_the_others_still_go(app):
    ids = _queue(2)
    with running_smtp_server() as server:
        server.refuse.add(_email_of(ids[0]))
        _use(app, server)
        delivery = sending.deliver(ids, _render, rate=1000)
    assert (delivery.failed, delivery.sent) == (1, 1)
    assert _statuses(ids) == ["failed", "sent"]
    [bounce] = db.session.scalars(select(EmailBounce)).all()
    assert bounce.email == _email_of(ids[0])
    assert sending.bounced_user_ids([bounce.user_id, 0]) == {bounce.user_id}


def test_a_claim_left_by_a_crash_is_failed_not_resent(app):
    [message_id] = _queue(1)
    row = db.session.get(EmailMessage, message_id)
    row.status, row.claimed_at, row.attempts = MessageStatus.SENDING, utcnow() - timedelta(hours=1), 1
    db.session.commit()
    with running_smtp_server() as server:
        _use(app, server)
        delivery = sending.deliver([message_id], _render, rate=1000)
    assert delivery.interrupted == 1 and server.messages == []
    assert _statuses([message_id]) == ["failed"]


def test_two_runners_at_once_send_each_message_once(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once: PostgreSQL (SQLite serialises its writers)")
    ids = _queue(12)
    with running_smtp_server() as server:
        _use(app, server)
        side_by_side(app, lambda: sending.deliver(ids, _render, rate=1000))
    assert len(server.messages) == 12
    assert len({m.rcpt_tos[0] for m in server.messages}) == 12
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(EmailMessage)
                             .where(EmailMessage.status == "sent")) == 12
