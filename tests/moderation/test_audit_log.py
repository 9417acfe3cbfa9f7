"""The audit log: staff actions are written with the action, the log is append-only in
the database, and moderators browse, filter and export it."""

import csv
import io

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from app.accounts import services as accounts
from app.accounts.models import Role
from app.extensions import db
from app.forum import categories, posting
from app.gamification import closing
from app.moderation.audit import log_action
from app.moderation.models import AuditEntry
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import login_as, make_user


def _entries(action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def test_a_moderator_deleting_someone_elses_post_is_logged_and_the_author_is_not(moderator):
    author = make_user(username="ann")
    thread = make_thread(author=make_user())
    mine, theirs = make_post(thread=thread, author=author), make_post(thread=thread, author=author)
    posting.delete_post(author, mine.id)
    assert _entries() == []  # people tidying their own posts are not moderation
    posting.delete_post(moderator, theirs.id)
    posting.undelete_post(moderator, theirs.id)
    deleted, undeleted = _entries()
    assert (deleted.action, deleted.actor_id, deleted.target_user_id) == (
        "delete_post", moderator.id, author.id)
    assert (deleted.target_type, deleted.target_id) == ("post", theirs.id)
    assert undeleted.action == "undelete_post"


def test_a_staff_close_and_reopen_are_logged_with_the_reason(moderator):
    question = make_thread(author=make_user(), kind="question")
    closing.cast_close_vote(moderator, question.id, reason="off_topic")
    closing.cast_reopen_vote(moderator, question.id)
    closed, reopened = _entries()
    assert (closed.action, closed.reason, closed.target_user_id) == (
        "close_thread", "off_topic", question.author_id)
    assert reopened.before == {"closed": "off_topic"} and reopened.after == {"closed": None}


def test_category_changes_record_only_what_changed(app):
    admin = make_user(role=Role.ADMIN)
    made = categories.create_category(admin, categories.CategoryInput(name="Data", slug="data"))
    categories.update_category(admin, made, categories.CategoryInput(
        name="Data science", slug="data", member_only=True))
    created, edited = _entries()
    assert created.action == "create_category" and created.after["name"] == "Data"
    assert edited.before == {"name": "Data", "member_only": False}
    assert edited.after == {"name": "Data science", "member_only": True}


def test_role_changes_from_the_command_line_are_logged_as_the_system(app):
    user = make_user(username="grace")
    accounts.set_role("grace", Role.MODERATOR)
    accounts.set_role("grace", Role.MODERATOR)  # no change, no entry
    [entry] = _entries()
    assert entry.actor_id is None and entry.target_user_id == user.id
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "moderator"})


def test_the_log_is_append_only_in_the_database(moderator):
    log_action(moderator, "warn_user", target_user=moderator, reason="test")
    db.session.commit()
    for statement in (update(AuditEntry).values(reason="rewritten"), delete(AuditEntry)):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert [e.reason for e in _entries()] == ["test"]


def _history(moderator):
    other_mod = make_user(username="otto", role=Role.MODERATOR)
    ann, bob = make_user(username="ann"), make_user(username="bob")
    log_action(moderator, "warn_user", target_user=ann, reason="Be kind")
    log_action(other_mod, "warn_user", target_user=bob, reason="Spam links")
    log_action(moderator, "silence_user", target_user=bob, reason="Again",
               before={"silenced_until": None}, after={"silenced_until": "2026-12-10"})
    db.session.commit()


def test_moderators_browse_and_filter_the_log(client, moderator):
    _history(moderator)
    login_as(client, moderator)
    page = client.get("/staff/audit").get_data(as_text=True)
    assert page.index("Again") < page.index("Spam links") < page.index("Be kind")  # newest first
    assert "silenced_until: None → 2026-12-10" in page
    by_mod = client.get("/staff/audit?actor=mod").get_data(as_text=True)
    assert "Be kind" in by_mod and "Again" in by_mod and "Spam links" not in by_mod
    about_bob = client.get("/staff/audit?user=bob&action=warn_user").get_data(as_text=True)
    assert "Spam links" in about_bob and "Again" not in about_bob and "Be kind" not in about_bob
    nobody = client.get("/staff/audit?actor=nobody-by-that-name").get_data(as_text=True)
    assert "No moderator or admin action matches these filters." in nobody


def test_the_filtered_log_downloads_as_csv(client, moderator):
    _history(moderator)
    login_as(client, moderator)
    response = client.get("/staff/audit.csv?user=bob")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["actor"], r["action"], r["target_user"], r["reason"]) for r in rows] == [
        ("mod", "silence_user", "bob", "Again"), ("otto", "warn_user", "bob", "Spam links")]
    assert rows[0]["after"] == '{"silenced_until": "2026-12-10"}'


def test_only_staff_see_the_log(client, moderator):
    assert client.get("/staff/audit").status_code == 302  # to the login page
    login_as(client, make_user())
    assert client.get("/staff/audit").status_code == 403
    assert client.get("/staff/audit.csv").status_code == 403
