"""Staff editing: create and edit courses and lessons, reorder, publish; bad input is
re-rendered with what was typed."""

from sqlalchemy import select

from app.accounts.models import Role
from app.courses.models import Course, Lesson
from app.extensions import db
from app.forum.models import Thread
from tests.fixtures.courses import make_course
from tests.fixtures.users import login_as, make_user


def _staff(client):
    user = make_user(role=Role.MODERATOR)
    login_as(client, user)
    return user


def test_staff_create_a_course_as_a_draft_add_a_lesson_and_publish(client):
    _staff(client)
    created = client.post("/admin/courses/new", data={
        "title": "SQL from zero", "slug": "", "summary": "Select, join, group.",
        "description": "# Hello\n\nWe **query**.", "level": "beginner", "tag_names": "sql databases",
    })
    assert created.status_code == 303
    course = db.session.scalar(select(Course))
    assert (course.slug, course.published, course.member_only) == ("sql-from-zero", False, False)
    assert "<strong>query</strong>" in course.description_html
    assert [t.name for t in course.tags] == ["databases", "sql"]

    refused = client.post(f"/admin/courses/{course.id}/publish", data={"published": "1"})
    assert refused.status_code == 303
    db.session.expire_all()
    assert not db.session.get(Course, course.id).published  # no lessons yet

    added = client.post(f"/admin/courses/{course.id}/lessons/new", data={
        "title": "Your first SELECT", "body": "```sql\nSELECT 1;\n```",
        "video_url": "https://video.example.com/1", "estimated_minutes": "8"})
    assert added.status_code == 303
    lesson = db.session.scalar(select(Lesson))
    assert lesson.slug == "your-first-select" and 'class="hl-' in lesson.body_html
    assert lesson.discussion_thread_id is None  # a draft shows nothing in the forum
    assert db.session.scalar(select(db.func.count()).select_from(Thread)) == 0

    client.post(f"/admin/courses/{course.id}/publish", data={"published": "1"})
    db.session.expire_all()
    assert db.session.get(Course, course.id).published
    assert b"SQL from zero" in client.get("/courses").data
    lesson = db.session.get(Lesson, lesson.id)
    thread = db.session.get(Thread, lesson.discussion_thread_id)
    assert thread.title == "SQL from zero: Your first SELECT"  # opened on publishing


def test_bad_course_input_keeps_what_was_typed_and_saves_nothing(client):
    _staff(client)
    make_course(title="Taken title")
    taken = db.session.scalar(select(Course.slug))
    page = client.post("/admin/courses/new", data={
        "title": "A brand new course", "slug": taken, "summary": "My typed summary",
        "description": "typed description", "level": "beginner"})
    assert page.status_code == 200
    assert b"Another course already uses this address." in page.data
    assert b"My typed summary" in page.data and b"A brand new course" in page.data
    level = client.post("/admin/courses/new", data={"title": "Good title", "summary": "x",
                                                     "level": "expert"})
    assert b"Choose beginner, intermediate or advanced." in level.data
    assert db.session.scalar(select(db.func.count()).select_from(Course)) == 1


def test_a_refused_edit_changes_nothing(client):
    _staff(client)
    course = make_course(title="Original title")
    page = client.post(f"/admin/courses/{course.id}/edit", data={
        "title": "Edited title here", "slug": "Bad Slug!", "summary": "s", "level": "beginner"})
    assert b"Use lower-case letters" in page.data and b"Edited title here" in page.data
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "Original title"


def test_bad_lesson_input_is_refused_with_field_errors(client):
    _staff(client)
    course = make_course(lessons=1)
    url = f"/admin/courses/{course.id}/lessons/new"
    bad_video = client.post(url, data={"title": "Video lesson", "body": "typed body text",
                                       "video_url": "javascript:alert(1)", "estimated_minutes": "5"})
    assert b"Use a full http:// or https:// address" in bad_video.data
    assert b"typed body text" in bad_video.data and b"javascript:alert(1)" in bad_video.data
    bad_minutes = client.post(url, data={"title": "Minutes lesson", "body": "b",
                                         "estimated_minutes": "lots"})
    assert b"Not a valid integer value" in bad_minutes.data and b"lots" in bad_minutes.data
    reserved = client.post(url, data={"title": "Certificate", "body": "b", "estimated_minutes": "5"})
    assert b"is taken by a page of the course" in reserved.data
    same = client.post(url, data={"title": "x", "slug": course.lessons[0].slug, "body": "b",
                                  "estimated_minutes": "5"})
    assert b"at least 3 characters" in same.data
    assert db.session.scalar(select(db.func.count()).select_from(Lesson)) == 1


def test_edit_a_lesson_and_reorder_the_lessons(client):
    _staff(client)
    course = make_course(lessons=3)
    first, second, third = course.lessons
    edited = client.post(f"/admin/lessons/{second.id}/edit", data={
        "title": "Renamed lesson", "slug": second.slug, "body": "New **body**",
        "estimated_minutes": "12"})
    assert edited.status_code == 303
    client.post(f"/admin/courses/{course.id}/lessons", data={
        f"position-{first.id}": "3", f"position-{second.id}": "1", f"position-{third.id}": "2"})
    db.session.expire_all()
    order = db.session.scalars(select(Lesson.title).where(Lesson.course_id == course.id)
                               .order_by(Lesson.position)).all()
    assert order == ["Renamed lesson", third.title, first.title]
    assert sorted(db.session.scalars(select(Lesson.position))) == [0, 1, 2]


def test_making_a_course_member_only_moves_its_threads(client):
    _staff(client)
    course = make_course(lessons=2)
    client.post(f"/admin/courses/{course.id}/edit", data={
        "title": course.title, "slug": course.slug, "summary": "s", "level": "advanced",
        "member_only": "y"})
    db.session.expire_all()
    threads = db.session.scalars(select(Thread).join(Lesson, Lesson.discussion_thread_id == Thread.id))
    assert {t.category.member_only for t in threads} == {True}


def test_unpublishing_takes_a_course_off_the_catalogue(client):
    _staff(client)
    course = make_course(title="Soon gone course")
    client.post(f"/admin/courses/{course.id}/publish", data={"published": "0"})
    login_as(client, make_user())
    client.get("/courses")  # shows the flash message that names it
    assert b"Soon gone course" not in client.get("/courses").data
    assert client.get(f"/courses/{course.slug}").status_code == 404
