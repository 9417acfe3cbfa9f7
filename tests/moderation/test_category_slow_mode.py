"""Slow mode on a whole category from the category admin page (and its staff page): the
same use case as the thread panel's "Slow mode for the whole category", audited, for
moderators and admins only."""

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.forum.errors import NotFound, PermissionDenied
from app.forum.models import Category
from app.moderation import content_actions
from app.moderation.models import AuditEntry
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.users import login_as, make_user

REASON = "Launch day: the category is flooded."


@pytest.fixture
def admin(app):
    return make_user(username="boss", role=Role.ADMIN)


@pytest.fixture
def category(app):
    return make_category(name="Python")


def _slow(client, category: Category, **fields):
    return client.post(f"/staff/categories/{category.id}/slow-mode",
                       data={f"slow-{name}": value for name, value in fields.items()})


def _end(client, category: Category, reason: str = "Launch is over."):
    return client.post(f"/staff/categories/{category.id}/slow-mode/end",
                       data={"slow_off-reason": reason})


def _fresh(category: Category) -> Category:
    db.session.expire_all()
    return db.session.get(Category, category.id)


def _entries(action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def test_an_admin_slows_a_category_from_its_edit_page_and_ends_it(client, admin, category):
    login_as(client, admin)
    page = client.get(f"/admin/categories/{category.id}/edit").get_data(as_text=True)
    assert "Slow mode" in page and "Turn on slow mode" in page and "End slow mode" not in page

    response = _slow(client, category, minutes=20, reason=REASON)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/categories/{category.id}/edit")
    slowed = _fresh(category)
    assert (slowed.slow_mode_minutes, slowed.slow_mode_set_by_id, slowed.slow_mode_reason) == (
        20, admin.id, REASON)
    [entry] = _entries("slow_mode_on")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.target_user_id,
            entry.reason) == (admin.id, "category", category.id, None, REASON)
    assert entry.before == {"slow_mode_minutes": None, "slow_mode_set_by": None}
    assert entry.after == {"slow_mode_minutes": 20, "slow_mode_set_by": admin.id}
    page = client.get(f"/admin/categories/{category.id}/edit").get_data(as_text=True)
    assert "one post per person every 20 minutes" in " ".join(page.split())
    assert "End slow mode" in page and "Change slow mode" in page
    assert "Slow mode: 20 min" in client.get("/admin/categories").get_data(as_text=True)

    assert _end(client, category).status_code == 302
    assert _fresh(category).slow_mode_minutes is None
    [ended] = _entries("slow_mode_off")
    assert (ended.target_type, ended.target_id, ended.reason) == (
        "category", category.id, "Launch is over.")
    assert _end(client, category, "Again").status_code == 409  # already off: no second entry
    assert len(_entries("slow_mode_off")) == 1


def test_a_moderator_uses_the_staff_page_since_the_edit_page_is_for_admins(client, moderator,
                                                                          category):
    login_as(client, moderator)
    assert client.get(f"/admin/categories/{category.id}/edit").status_code == 403
    listing = client.get(f"/c/{category.slug}").get_data(as_text=True)
    assert f"/staff/categories/{category.id}/slow-mode" in listing
    assert "Turn on slow mode" in client.get(
        f"/staff/categories/{category.id}/slow-mode").get_data(as_text=True)

    response = _slow(client, category, minutes=5, reason=REASON)

    assert response.headers["Location"].endswith(f"/staff/categories/{category.id}/slow-mode")
    assert _fresh(category).slow_mode_minutes == 5
    assert _entries("slow_mode_on")[0].actor_id == moderator.id
    assert "on, 5 minutes" in client.get(f"/c/{category.slug}").get_data(as_text=True)


@pytest.mark.parametrize("minutes, message", [
    ("2000", "Choose 1 to 1440 minutes"),
    ("0", "Choose 1 to 1440 minutes"),
    ("", "Choose 1 to 1440 minutes"),
    ("ten", "Not a valid integer value"),
])
def test_bad_minutes_are_refused_and_keep_what_was_typed(client, admin, category, minutes,
                                                         message):
    login_as(client, admin)
    typed = "Flooded after the launch post, typed with care."

    response = _slow(client, category, minutes=minutes, reason=typed)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and typed in html
    if minutes:
        assert f'value="{minutes}"' in html
    assert _fresh(category).slow_mode_minutes is None and _entries() == []


def test_a_reason_is_required(client, moderator, category):
    login_as(client, moderator)
    response = _slow(client, category, minutes=15, reason="   ")
    assert response.status_code == 422 and "Give a reason" in response.get_data(as_text=True)
    assert 'value="15"' in response.get_data(as_text=True)
    assert _fresh(category).slow_mode_minutes is None and _entries() == []


@pytest.mark.parametrize("what", ["page", "slow", "end"])
def test_members_get_403_and_anonymous_visitors_log_in(client, category, what):
    content_actions.set_category_slow_mode(make_user(role=Role.MODERATOR), category.id,
                                           minutes=10, reason=REASON)
    before = _entries()

    def send():
        if what == "page":
            return client.get(f"/staff/categories/{category.id}/slow-mode")
        if what == "slow":
            return _slow(client, category, minutes=30, reason=REASON)
        return _end(client, category)

    assert "/login" in send().headers["Location"]
    login_as(client, make_user(points=5000))  # a trusted member is still no moderator
    assert send().status_code == 403
    assert "/slow-mode" not in client.get(f"/c/{category.slug}").get_data(as_text=True)
    assert _fresh(category).slow_mode_minutes == 10 and _entries() == before


def test_the_service_refuses_members_and_unknown_categories(app, moderator, category):
    member = make_user(points=5000)
    with pytest.raises(PermissionDenied):
        content_actions.set_category_slow_mode(member, category.id, minutes=10, reason=REASON)
    with pytest.raises(PermissionDenied):
        content_actions.end_category_slow_mode(member, category.id, reason=REASON)
    with pytest.raises(NotFound):
        content_actions.set_category_slow_mode(moderator, 999_999, minutes=10, reason=REASON)
    assert _entries() == []


def test_the_thread_panel_still_slows_the_whole_category(client, moderator, category):
    thread = make_thread(author=make_user(), category=category)
    login_as(client, moderator)

    response = client.post(f"/t/{thread.id}/moderate/slow_category",
                           data={"slow_category-minutes": 45,
                                 "slow_category-reason": REASON})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}")
    assert _fresh(category).slow_mode_minutes == 45
    [entry] = _entries("slow_mode_on")
    assert (entry.target_type, entry.target_id, entry.target_user_id) == (
        "category", category.id, None)
    refused = client.post(f"/t/{thread.id}/moderate/slow_category",
                          data={"slow_category-minutes": 9999,
                                "slow_category-reason": REASON})
    assert refused.status_code == 422 and "Choose 1 to 1440 minutes" in refused.get_data(
        as_text=True)
    assert client.post(f"/t/{thread.id}/moderate/slow_category_off",
                       data={"slow_category_off-reason": "Calm again"}).status_code == 302
    assert _fresh(category).slow_mode_minutes is None
    assert len(_entries("slow_mode_off")) == 1
