"""Public category pages: /categories, /c/<slug> and the generated /categories.css."""

import re

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def test_categories_page_lists_them_in_order_with_description_counts_and_lock(client):
    author = make_user()
    later = make_category(name="Later", position=5)
    first = make_category(name="First", position=1)
    locked = make_category(name="Members lounge", position=3, member_only=True)
    first.description = "Start here."
    db.session.commit()
    for _ in range(2):
        make_thread(author=author, category=first)
    make_thread(author=author, category=locked)
    gone = make_thread(author=author, category=later)
    gone.deleted_at = utcnow()
    db.session.commit()

    html = client.get("/categories").get_data(as_text=True)
    assert html.index(">First<") < html.index(">Members lounge<") < html.index(">Later<")
    assert "Start here." in html and "2 threads" in html
    assert "0 threads" in html
    assert "Members only" in html and "Become a member</a> to see its threads" in html
    assert f'category-card cat-{first.id}' in html
    assert "Manage categories" not in html


def test_categories_page_counts_with_one_grouped_query(client):
    author = make_user()

    def queries() -> int:
        with count_queries() as log:
            assert client.get("/categories").status_code == 200
        return log.count

    for n in range(2):
        make_thread(author=author, category=make_category(name=f"Few {n}"))
    few = queries()
    for n in range(8):
        make_thread(author=author, category=make_category(name=f"Many {n}"))
    assert queries() == few <= 3


def test_empty_categories_page(client):
    assert "No categories yet" in client.get("/categories").get_data(as_text=True)


def test_admin_sees_the_manage_link(client):
    login_as(client, make_user(role=Role.ADMIN))
    assert 'href="/admin/categories"' in client.get("/categories").get_data(as_text=True)


def test_category_page_lists_only_its_threads_with_sorts(client):
    author = make_user()
    python, rust = make_category(name="Python"), make_category(name="Rust")
    make_thread(author=author, category=python, title="Py low")
    high = make_thread(author=author, category=python, title="Py high")
    make_thread(author=author, category=rust, title="Rusty")
    high.score = 7
    db.session.commit()

    html = client.get("/c/python?sort=top").get_data(as_text=True)
    assert html.index("Py high") < html.index("Py low")
    assert "Rusty" not in html
    assert 'href="/c/python?sort=newest"' in html


def test_empty_category_page(client):
    make_category(name="Quiet")
    assert "No threads yet" in client.get("/c/quiet").get_data(as_text=True)


def test_unknown_category_is_404(client):
    assert client.get("/c/nothing-here").status_code == 404


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_member_only_category_is_a_teaser_for_non_members(client, role):
    """Titles and facts as the teaser, with the way in; never a body; 403 all the same."""
    inner = make_category(name="Inner", member_only=True)
    make_thread(author=make_user(), category=inner, title="Inner secret",
                body="The password is swordfish.")
    make_thread(author=make_user(), category=inner, title="Deleted inner").deleted_at = utcnow()
    db.session.commit()
    if role:
        login_as(client, make_user(role=role))
    response = client.get("/c/inner")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This category is for members" in html and "Become a member" in html
    assert "What members are talking about" in html and "Inner secret" in html
    assert "swordfish" not in html and "Deleted inner" not in html


def test_member_only_category_opens_for_members(client):
    make_thread(author=make_user(), category=make_category(name="Inner", member_only=True),
                title="Inner secret")
    login_as(client, make_user(role=Role.MODERATOR))
    response = client.get("/c/inner")
    assert response.status_code == 200
    assert "Inner secret" in response.get_data(as_text=True)


def test_stylesheet_carries_each_category_colour(client):
    python = make_category(name="Python")
    rust = make_category(name="Rust")
    rust.color = "#B7410E"
    db.session.commit()

    response = client.get("/categories.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert f".cat-{python.id}{{--cat-color:#3b82f6}}" in css
    assert f".cat-{rust.id}{{--cat-color:#B7410E}}" in css
    assert "public" in response.headers["Cache-Control"]
    assert "no-cache" in response.headers["Cache-Control"]


def test_stylesheet_answers_304_until_a_colour_changes(client):
    category = make_category(name="Python")
    first = client.get("/categories.css")
    etag = first.headers["ETag"]

    again = client.get("/categories.css", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""

    category.color = "#10b981"
    db.session.commit()
    changed = client.get("/categories.css", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "#10b981" in changed.get_data(as_text=True)


def test_stylesheet_skips_a_colour_that_is_not_hex(client):
    """Colours are validated on save; a row written around the service still cannot
    break out of the rule."""
    category = make_category(name="Odd")
    category.color = "red;}*{"
    db.session.commit()
    css = client.get("/categories.css").get_data(as_text=True)
    assert f"cat-{category.id}" not in css
    assert "}*{" not in css


def test_pages_link_the_stylesheet_and_use_no_inline_styles(client):
    make_thread(author=make_user(), category=make_category(name="Python"))
    for url in ("/", "/categories", "/c/python"):
        html = client.get(url).get_data(as_text=True)
        assert 'href="/categories.css"' in html
        assert not re.search(r"\sstyle=", html), url


def test_member_only_category_does_not_leak_through_sorts_or_pages(client):
    make_thread(author=make_user(), category=make_category(name="Inner", member_only=True))
    login_as(client, make_user())
    for url in ("/c/inner?sort=top", "/c/inner?page=2", "/c/inner?sort=unanswered"):
        assert client.get(url).status_code == 403, url
