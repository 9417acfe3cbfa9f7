"""Return visits: a logged-in request, or a login, within seven days of a message marks it."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from app.accounts.deletion import delete_account
from app.extensions import db
from app.insights.models import Event
from app.outreach.models import MessageStatus
from app.timeutil import utcnow
from tests.fixtures.outreach import make_message
from tests.fixtures.queries import count_queries
from tests.fixtures.users import PASSWORD, login, login_as, make_user

DAY = timedelta(days=1)


def _logged_in_after_a_while(client, user) -> None:
    """Logged in, last noted an hour ago: the next request is a visit to note."""
    login_as(client, user)
    user.last_seen_at = utcnow() - timedelta(hours=1)
    db.session.commit()


def _fresh(row):
    db.session.refresh(row)
    return row


def _updates(log) -> list[str]:
    return [s for s in log.statements if s.lstrip().upper().startswith("UPDATE")]


def test_a_visit_within_seven_days_of_a_sent_message_marks_the_return(client):
    ada = make_user()
    message = make_message(user=ada, sent_at=utcnow() - 6 * DAY)
    _logged_in_after_a_while(client, ada)
    before = utcnow()
    assert client.get("/").status_code == 200
    returned_at = _fresh(message).returned_at
    assert returned_at is not None and before <= returned_at <= utcnow()
    assert _fresh(ada).last_seen_at == returned_at


def test_a_sent_message_counts_from_when_it_was_sent_not_when_it_was_chosen(client):
    ada = make_user()
    message = make_message(user=ada, created_at=utcnow() - 9 * DAY, sent_at=utcnow() - DAY)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(message).returned_at is not None


@pytest.mark.parametrize("sent_ago", [7 * DAY + timedelta(minutes=1), 30 * DAY,
                                      -timedelta(hours=1)], ids=["8th-day", "month", "future"])
def test_a_visit_outside_the_seven_days_after_a_message_does_not(client, sent_ago):
    ada = make_user()
    message = make_message(user=ada, sent_at=utcnow() - sent_ago)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(message).returned_at is None
    assert _fresh(ada).last_seen_at > utcnow() - timedelta(minutes=1)  # the visit is noted


def test_a_held_out_message_counts_from_when_it_was_chosen(client):
    ada = make_user()
    recent = make_message(user=ada, status=MessageStatus.HELD_OUT, created_at=utcnow() - 2 * DAY)
    old = make_message(user=ada, status=MessageStatus.HELD_OUT, created_at=utcnow() - 8 * DAY)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(recent).returned_at is not None
    assert _fresh(old).returned_at is None


@pytest.mark.parametrize("status", [MessageStatus.PENDING, MessageStatus.FAILED,
                                    MessageStatus.SKIPPED])
def test_messages_neither_sent_nor_held_out_have_no_returns(client, status):
    ada = make_user()
    message = make_message(user=ada, status=status, created_at=utcnow() - DAY)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(message).returned_at is None


def test_a_return_is_marked_once(client):
    ada = make_user()
    message = make_message(user=ada, sent_at=utcnow() - 3 * DAY)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    first = _fresh(message).returned_at
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(message).returned_at == first


def test_a_second_request_within_five_minutes_writes_nothing(client):
    ada = make_user()
    _logged_in_after_a_while(client, ada)
    client.get("/")
    seen = _fresh(ada).last_seen_at
    message = make_message(user=ada, sent_at=utcnow())  # sent after that visit

    with count_queries() as log:
        assert client.get("/").status_code == 200
    assert _updates(log) == []
    assert _fresh(message).returned_at is None
    assert _fresh(ada).last_seen_at == seen

    ada.last_seen_at = utcnow() - timedelta(minutes=5, seconds=1)
    db.session.commit()
    with count_queries() as log:
        client.get("/")
    assert len(_updates(log)) == 2  # last_seen_at, then the messages: no per-row loop
    assert _fresh(message).returned_at is not None


def test_anonymous_requests_and_deleted_accounts_mark_nothing(client):
    ada, bob = make_user(), make_user()
    adas = make_message(user=ada, sent_at=utcnow() - DAY)
    bobs = make_message(user=bob, sent_at=utcnow() - DAY)
    assert client.get("/").status_code == 200

    _logged_in_after_a_while(client, bob)
    delete_account(bob, password=PASSWORD, remove_posts=False)
    client.get("/")
    assert _fresh(adas).returned_at is None
    assert _fresh(bobs).returned_at is None


def test_a_visit_marks_only_the_visitors_messages(client):
    ada, bob = make_user(), make_user()
    adas = make_message(user=ada, sent_at=utcnow() - DAY)
    bobs = make_message(user=bob, sent_at=utcnow() - DAY)
    _logged_in_after_a_while(client, ada)
    client.get("/")
    assert _fresh(adas).returned_at is not None
    assert _fresh(bobs).returned_at is None
    assert _fresh(bob).last_seen_at is None


def test_static_files_are_not_visits(client):
    ada = make_user()
    message = make_message(user=ada, sent_at=utcnow() - DAY)
    _logged_in_after_a_while(client, ada)
    seen = ada.last_seen_at
    assert client.get("/static/css/site.css").status_code == 200
    assert _fresh(message).returned_at is None
    assert _fresh(ada).last_seen_at == seen

    client.get("/")
    assert _fresh(message).returned_at is not None


def test_logging_in_marks_the_return_at_once(client):
    """Logging in moves last_seen_at, so the request hook rests for five minutes after;
    the login itself has to count."""
    ada = make_user(username="ada")
    message = make_message(user=ada, sent_at=utcnow() - DAY)
    assert login(client, "ada").status_code == 302
    [logged_in] = db.session.scalars(select(Event).where(Event.type == "login")).all()
    assert _fresh(message).returned_at == logged_in.created_at


@contextmanager
def _updates_fail(table: str):
    """UPDATEs of `table` raise a database error. Faked: no database can be made to fail
    one statement on demand the same way on SQLite and PostgreSQL."""

    def fail(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(f"UPDATE {table.upper()} "):
            raise OperationalError(statement, parameters, Exception("disk I/O error"))

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)


def test_a_database_error_is_logged_and_undone_and_the_page_still_works(client, caplog):
    ada = make_user()
    message = make_message(user=ada, sent_at=utcnow() - DAY)
    _logged_in_after_a_while(client, ada)
    seen = ada.last_seen_at

    with _updates_fail("email_message"):
        response = client.get("/settings/email")
    assert response.status_code == 200
    assert "could not note a return visit" in caplog.text
    assert _fresh(message).returned_at is None
    assert _fresh(ada).last_seen_at == seen  # undone with it, so the next request retries

    client.get("/")
    assert _fresh(message).returned_at is not None
