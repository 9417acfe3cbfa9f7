"""Category administration: who may, what is checked, what is kept when it fails."""

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum.categories import CategoryInput, create_category, move_category, update_category
from app.forum.errors import PermissionDenied, ValidationError
from app.forum.models import Category
from tests.fixtures.forum import make_category
from tests.fixtures.users import login_as, make_user

VALID = {"name": "Web development", "slug": "web-dev", "description": "Browsers and servers.",
         "color": "#10B981", "member_only": "y"}


@pytest.fixture
def admin(client):
    user = make_user(role=Role.ADMIN)
    login_as(client, user)
    return user


def categories() -> list[Category]:
    return list(db.session.scalars(db.select(Category).order_by(Category.position, Category.id)))


def slugs() -> list[str]:
    return [c.slug for c in categories()]


ADMIN_REQUESTS = [
    ("get", "/admin/categories"),
    ("get", "/admin/categories/new"),
    ("post", "/admin/categories/new"),
    ("get", "/admin/categories/{id}/edit"),
    ("post", "/admin/categories/{id}/edit"),
    ("post", "/admin/categories/{id}/move"),
]


@pytest.mark.parametrize(("method", "url"), ADMIN_REQUESTS)
def test_anonymous_visitors_are_sent_to_log_in(client, method, url):
    category = make_category(name="Existing")
    response = getattr(client, method)(url.format(id=category.id), data=VALID)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert slugs() == ["existing"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
@pytest.mark.parametrize(("method", "url"), ADMIN_REQUESTS)
def test_non_admins_get_403_and_change_nothing(client, role, method, url):
    category = make_category(name="Existing")
    login_as(client, make_user(role=role))
    response = getattr(client, method)(url.format(id=category.id),
                                       data={**VALID, "direction": "down"})
    assert response.status_code == 403
    db.session.expire_all()
    assert [(c.slug, c.name) for c in categories()] == [("existing", "Existing")]


def test_services_refuse_non_admins_too(app):
    member = make_user()
    category = make_category(name="Existing")
    data = CategoryInput(name="X", slug="xx")
    for call in (lambda: create_category(member, data),
                 lambda: update_category(member, category, data),
                 lambda: move_category(member, category, "up"),
                 lambda: create_category(None, data)):
        with pytest.raises(PermissionDenied):
            call()


def test_admin_list_shows_categories_with_move_and_edit_controls(client, admin):
    first, second = make_category(name="First", position=0), make_category(name="Second", position=1)
    html = client.get("/admin/categories").get_data(as_text=True)
    assert html.index(">First<") < html.index(">Second<")
    assert f'action="/admin/categories/{first.id}/move"' in html
    assert f'href="/admin/categories/{second.id}/edit"' in html
    assert 'name="csrf_token"' in html
    assert 'aria-label="Move First up" disabled' in html
    assert 'aria-label="Move Second down" disabled' in html


def test_admin_list_empty_state(client, admin):
    assert "Create the first category" in client.get("/admin/categories").get_data(as_text=True)


def test_admin_creates_a_category_at_the_end(client, admin):
    make_category(name="Existing", position=4)
    response = client.post("/admin/categories/new", data=VALID, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == "/admin/categories"
    assert "Category “Web development” created." in html
    created = db.session.scalar(db.select(Category).filter_by(slug="web-dev"))
    assert (created.name, created.description, created.color, created.member_only) == (
        "Web development", "Browsers and servers.", "#10b981", True
    )
    assert created.position == 5


def test_blank_slug_is_made_from_the_name(client, admin):
    client.post("/admin/categories/new", data={**VALID, "slug": "", "name": "Data Science & ML"})
    assert slugs() == ["data-science-ml"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "Bad slug!", "Use 2 to 60 lower-case letters, digits or hyphens"),
        ("slug", "x", "Use 2 to 60 lower-case letters, digits or hyphens"),
        ("slug", "a_b", "Use 2 to 60 lower-case letters, digits or hyphens"),
        ("color", "red", "Use a colour in the form #rrggbb"),
        ("color", "#12345g", "Use a colour in the form #rrggbb"),
        ("color", "#fff", "Use a colour in the form #rrggbb"),
    ],
)
def test_bad_values_show_a_field_error_and_keep_what_was_typed(client, admin, field, value, message):
    response = client.post("/admin/categories/new", data={**VALID, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'class="field has-error"' in html
    assert 'value="Web development"' in html
    assert "Browsers and servers." in html
    assert slugs() == []


def test_service_checks_names_without_the_form(app):
    admin = make_user(role=Role.ADMIN)
    for name, message in [("   ", "Give the category a name."), ("n" * 61, "under 60")]:
        with pytest.raises(ValidationError) as error:
            create_category(admin, CategoryInput(name=name, slug="fine"))
        assert error.value.field == "name" and message in error.value.message
    assert slugs() == []


def test_missing_name_is_a_form_error(client, admin):
    response = client.post("/admin/categories/new", data={**VALID, "name": ""})
    assert "This field is required." in response.get_data(as_text=True)
    assert slugs() == []


def test_slug_must_be_unique(client, admin):
    make_category(name="Web dev")
    response = client.post("/admin/categories/new", data={**VALID, "slug": "web-dev"})
    assert "Another category already uses this slug." in response.get_data(as_text=True)
    assert slugs() == ["web-dev"]


def test_admin_edits_a_category(client, admin):
    category = make_category(name="Old name")
    form = client.get(f"/admin/categories/{category.id}/edit").get_data(as_text=True)
    assert 'value="Old name"' in form and 'value="old-name"' in form

    response = client.post(f"/admin/categories/{category.id}/edit",
                           data={**VALID, "slug": "old-name", "member_only": ""},
                           follow_redirects=True)
    assert "Category “Web development” saved." in response.get_data(as_text=True)
    db.session.refresh(category)
    assert (category.name, category.slug, category.color, category.member_only) == (
        "Web development", "old-name", "#10b981", False
    )


def test_edit_to_a_taken_slug_fails_and_leaves_the_row_alone(client, admin):
    make_category(name="Taken")
    category = make_category(name="Mine")
    response = client.post(f"/admin/categories/{category.id}/edit",
                           data={**VALID, "name": "Renamed", "slug": "taken"})
    html = response.get_data(as_text=True)
    assert "Another category already uses this slug." in html
    assert 'value="Renamed"' in html and "Edit “Mine”" in html
    db.session.expire_all()
    assert db.session.get(Category, category.id).name == "Mine"


def test_editing_an_unknown_category_is_404(client, admin):
    assert client.get("/admin/categories/999/edit").status_code == 404


def test_move_buttons_reorder(client, admin):
    for n, name in enumerate(["Alpha", "Beta", "Gamma"]):
        make_category(name=name, position=n)
    gamma = db.session.scalar(db.select(Category).filter_by(slug="gamma"))

    response = client.post(f"/admin/categories/{gamma.id}/move", data={"direction": "up"},
                           follow_redirects=True)
    assert "Moved “Gamma” up." in response.get_data(as_text=True)
    assert slugs() == ["alpha", "gamma", "beta"]
    client.post(f"/admin/categories/{gamma.id}/move", data={"direction": "up"})
    client.post(f"/admin/categories/{gamma.id}/move", data={"direction": "up"})
    assert slugs() == ["gamma", "alpha", "beta"]
    client.post(f"/admin/categories/{gamma.id}/move", data={"direction": "down"})
    assert slugs() == ["alpha", "gamma", "beta"]
    assert [c.position for c in categories()] == [0, 1, 2]


def test_moving_with_tied_positions_still_moves(app):
    admin = make_user(role=Role.ADMIN)
    first, second = make_category(name="One"), make_category(name="Two")
    move_category(admin, second, "up")
    assert slugs() == ["two", "one"]
    assert (first.position, second.position) == (1, 0)


def test_a_bad_move_direction_is_refused(client, admin):
    category = make_category(name="Alpha")
    response = client.post(f"/admin/categories/{category.id}/move",
                           data={"direction": "sideways"}, follow_redirects=True)
    assert "That move was not understood" in response.get_data(as_text=True)
    with pytest.raises(ValidationError) as error:
        move_category(admin, category, "sideways")
    assert error.value.field == "direction"
