"""Who sees what: (anonymous, member without subscription, paying member, moderator) x
(free course, member-only course, draft). Non-members see a member-only course's outline
and the way in, never a lesson body."""

import pytest

from app.accounts.models import Role
from app.courses import permissions
from app.courses.models import Enrollment
from app.extensions import db
from tests.fixtures.courses import make_course, make_paying_member
from tests.fixtures.users import login_as, make_user

BODY = b"Body of lesson 1."


@pytest.fixture
def courses(app):
    return {
        "free": make_course(title="Free Python basics"),
        "member": make_course(title="Members pandas course", member_only=True),
        "draft": make_course(title="Unfinished draft course", published=False),
    }


def _viewer(client, who):
    user = {"anonymous": None, "member": make_user, "paying": make_paying_member,
            "moderator": lambda: make_user(role=Role.MODERATOR)}[who]
    user = user() if user else None
    if user is not None:
        login_as(client, user)
    return user


# (course page status, lesson page status, lesson body shown, "Become a member" shown)
MATRIX = {
    ("anonymous", "free"): (200, 200, True, False),
    ("anonymous", "member"): (200, 403, False, True),
    ("anonymous", "draft"): (404, 404, False, False),
    ("member", "free"): (200, 200, True, False),
    ("member", "member"): (200, 403, False, True),
    ("member", "draft"): (404, 404, False, False),
    ("paying", "free"): (200, 200, True, False),
    ("paying", "member"): (200, 200, True, False),
    ("paying", "draft"): (404, 404, False, False),
    ("moderator", "free"): (200, 200, True, False),
    ("moderator", "member"): (200, 200, True, False),
    ("moderator", "draft"): (200, 200, True, False),
}


@pytest.mark.parametrize(("who", "kind"), list(MATRIX))
def test_the_access_matrix(client, courses, who, kind):
    course_status, lesson_status, body_shown, cta_shown = MATRIX[(who, kind)]
    _viewer(client, who)
    course = courses[kind]
    lesson = course.lessons[0]

    page = client.get(f"/courses/{course.slug}")
    assert page.status_code == course_status
    lesson_page = client.get(f"/courses/{course.slug}/{lesson.slug}")
    assert lesson_page.status_code == lesson_status
    assert (BODY in lesson_page.data) is body_shown
    assert BODY not in page.data  # the course page never carries a lesson body
    if course_status == 200:
        assert course.title.encode() in page.data
        assert lesson.title.encode() in page.data  # the outline is public
        assert (b"Become a member" in page.data) is cta_shown
        assert (b"/membership" in page.data) is True  # the nav; the CTA links there too
    if lesson_status == 403:
        assert b"Become a member" in lesson_page.data and lesson.title.encode() in lesson_page.data
        assert b"Mark as done" not in lesson_page.data and b"Discuss this lesson" not in lesson_page.data


@pytest.mark.parametrize("who", ["anonymous", "member", "paying", "moderator"])
def test_the_catalogue_lists_published_courses_only_whoever_asks(client, courses, who):
    _viewer(client, who)
    page = client.get("/courses").data
    assert b"Free Python basics" in page and b"Members pandas course" in page
    assert b"Unfinished draft course" not in page


def test_a_member_without_a_subscription_cannot_enrol_or_mark_done_in_a_member_course(client, courses):
    user = _viewer(client, "member")
    course = courses["member"]
    response = client.post(f"/courses/{course.slug}/enrol")
    assert response.status_code == 302 and response.headers["Location"].endswith("/membership")
    done = client.post(f"/courses/{course.slug}/{course.lessons[0].slug}/done")
    assert done.headers["Location"].endswith("/membership")
    assert db.session.scalar(db.select(Enrollment).filter_by(user_id=user.id)) is None


def test_a_paying_member_enrols_in_a_member_course(client, courses):
    user = _viewer(client, "paying")
    assert client.post(f"/courses/{courses['member'].slug}/enrol").status_code == 303
    assert db.session.scalar(db.select(Enrollment).filter_by(user_id=user.id)) is not None


def test_nobody_enrols_in_a_draft_but_staff_and_anonymous_must_log_in(client, courses):
    _viewer(client, "member")
    assert client.post(f"/courses/{courses['draft'].slug}/enrol").status_code == 404
    client.post("/logout")
    anonymous = client.post(f"/courses/{courses['free'].slug}/enrol")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_admin_pages_are_for_staff_only(client, courses):
    course = courses["free"]
    urls = ["/admin/courses", "/admin/courses/new", f"/admin/courses/{course.id}/edit",
            f"/admin/courses/{course.id}/lessons", f"/admin/courses/{course.id}/lessons/new",
            f"/admin/lessons/{course.lessons[0].id}/edit", "/admin/paths/new"]
    for url in urls:
        assert "/login" in client.get(url).headers["Location"]
    _viewer(client, "paying")
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/courses/{course.id}/publish", data={"published": "0"}).status_code == 403
    assert course.published


def test_the_rules_directly(app, courses):
    member, paying, moderator = make_user(), make_paying_member(), make_user(role=Role.MODERATOR)
    lesson = courses["member"].lessons[0]
    assert not permissions.can_view_lesson(member, lesson)
    assert permissions.can_view_lesson(paying, lesson) and permissions.can_view_lesson(moderator, lesson)
    assert not permissions.can_view_course(paying, courses["draft"])
    assert permissions.can_edit(moderator) and not permissions.can_edit(paying)
    assert not permissions.can_review(member, None)
