"""Who may open each staff page: visitors are sent to log in, members are refused,
moderators open everything but the admins' pages, admins open everything.

Each action's own tests check who may *do* it; this matrix catches a staff page that
forgot its guard."""

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.moderation.console_queries import PAGES
from app.moderation.permissions import ADMIN_ONLY_PAGES
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import login_as, make_user

CONSOLE = [f"/staff/console/{name}" for name in PAGES] + ["/staff/console"]
PAGES_FOR_STAFF = [
    "/staff/review", "/staff/audit", "/staff/audit.csv", "/staff/users/ann",
    "/staff/messages/reports", "/staff/outreach", "/staff/categories/{category}/slow-mode",
    "/t/{thread}/moderate", *CONSOLE,
]
ADMINS_ONLY = {f"/staff/console/{name}" for name in ADMIN_ONLY_PAGES}

# who -> the status each page answers them with
EXPECTED = {
    "visitor": lambda path: 302,
    "member": lambda path: 403,
    "moderator": lambda path: 403 if path in ADMINS_ONLY else 200,
    "admin": lambda path: 200,
}


@pytest.fixture
def places(app):
    ann = make_user(username="ann", points=200)
    category = make_category(name="Python")
    thread = make_thread(author=ann, category=category)
    db.session.commit()
    return {"category": category.id, "thread": thread.id}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_staff_page_answers_each_role_as_it_should(client, places, who):
    if who != "visitor":
        role = {"member": Role.MEMBER, "moderator": Role.MODERATOR, "admin": Role.ADMIN}[who]
        login_as(client, make_user(username=f"the-{who}", role=role))
    answers = {path: client.get(path.format(**places)).status_code for path in PAGES_FOR_STAFF}
    assert answers == {path: EXPECTED[who](path) for path in PAGES_FOR_STAFF}
