"""An admin changes roles from the member page; moderators and members cannot, and no
admin changes their own role or another admin's on the web."""

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.moderation.models import AuditEntry
from app.notifications.models import Notification
from tests.fixtures.users import login_as, make_user


@pytest.fixture
def admin(app):
    return make_user(username="boss", role=Role.ADMIN)


@pytest.fixture
def ann(app):
    return make_user(username="ann", points=200)


def _change(client, username: str, role: str, reason: str = "Helps every day in Python."):
    return client.post(f"/staff/users/{username}/role",
                       data={"role-role": role, "role-reason": reason})


def _role(user) -> str:
    db.session.expire_all()
    return str(db.session.get(User, user.id).role)


def test_an_admin_makes_a_member_a_moderator_audited_and_told(client, admin, ann):
    login_as(client, admin)
    page = client.get("/staff/users/ann").get_data(as_text=True)
    assert "Change role" in page and 'value="moderator"' in page

    response = _change(client, "ann", "moderator")

    assert response.status_code == 302 and _role(ann) == "moderator"
    [entry] = db.session.scalars(select(AuditEntry).filter_by(action="set_role"))
    assert (entry.actor_id, entry.target_user_id, entry.reason) == (
        admin.id, ann.id, "Helps every day in Python.")
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "moderator"})
    [notice] = db.session.scalars(select(Notification).filter_by(user_id=ann.id, kind="moderation"))
    assert notice.data["action"] == "set_role" and notice.data["role"] == "moderator"
    login_as(client, ann)
    assert "An admin made you a moderator" in client.get("/notifications").get_data(as_text=True)


def test_bad_input_keeps_what_was_typed_and_changes_nothing(client, admin, ann):
    login_as(client, admin)
    response = _change(client, "ann", "moderator", reason="")
    assert response.status_code == 422 and "Give a reason" in response.get_data(as_text=True)
    response = _change(client, "ann", "emperor", reason="Because I can")
    assert response.status_code == 422 and "Because I can" in response.get_data(as_text=True)
    response = _change(client, "ann", "member", reason="Already one")
    assert response.status_code == 409 and "already a member" in response.get_data(as_text=True)
    assert _role(ann) == "member"
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_moderators_and_members_may_not_change_roles(client, moderator, ann):
    for who in (moderator, ann):
        login_as(client, who)
        assert _change(client, "ann" if who is moderator else "mod", "admin").status_code == 403
    assert _role(ann) == "member" and _role(moderator) == "moderator"
    login_as(client, moderator)
    assert "Change role" not in client.get("/staff/users/ann").get_data(as_text=True)


def test_no_admin_changes_their_own_role_or_another_admins(client, admin):
    other = make_user(username="chief", role=Role.ADMIN)
    login_as(client, admin)
    assert _change(client, "boss", "member").status_code == 403
    assert _change(client, "chief", "member").status_code == 403
    assert "Change role" not in client.get("/staff/users/chief").get_data(as_text=True)
    assert _role(admin) == "admin" and _role(other) == "admin"
