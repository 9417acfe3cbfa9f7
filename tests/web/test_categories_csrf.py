"""Category admin forms with CSRF protection switched on, as in production."""

import re

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum.models import Category
from tests.fixtures.forum import make_category
from tests.fixtures.users import login_as, make_user

FORM = {"name": "Web development", "slug": "web-dev", "color": "#10b981"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def admin_client(client):
    login_as(client, make_user(role=Role.ADMIN))
    return client


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_create_without_a_token_is_refused(admin_client):
    response = admin_client.post("/admin/categories/new", data=FORM)
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Category)) is None


def test_create_with_the_form_token_works(admin_client):
    token = csrf_token(admin_client.get("/admin/categories/new").get_data(as_text=True))
    response = admin_client.post("/admin/categories/new", data={**FORM, "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Category.slug)) == "web-dev"


def test_move_needs_the_token_from_the_list(admin_client):
    make_category(name="Alpha", position=0)
    beta = make_category(name="Beta", position=1)
    url = f"/admin/categories/{beta.id}/move"
    assert admin_client.post(url, data={"direction": "up"}).status_code == 400

    token = csrf_token(admin_client.get("/admin/categories").get_data(as_text=True))
    assert admin_client.post(url, data={"direction": "up", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, beta.id).position == 0


def test_slow_mode_on_the_edit_page_needs_its_token(admin_client):
    python = make_category(name="Python")
    url = f"/staff/categories/{python.id}/slow-mode"
    data = {"slow-minutes": "10", "slow-reason": "Launch day"}
    assert admin_client.post(url, data=data).status_code == 400

    page = admin_client.get(f"/admin/categories/{python.id}/edit").get_data(as_text=True)
    token = re.search(r'name="slow-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert admin_client.post(url, data={**data, "slow-csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, python.id).slow_mode_minutes == 10
