"""Enrol, read, mark done, finish: events, the Graduate badge, points paid once, resume,
the certificate and the lesson's discussion thread."""

from sqlalchemy import func, select

from app.courses.models import Enrollment, LessonProgress
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.gamification.models import BadgeAward, PointTransaction
from app.insights.models import Event
from tests.fixtures.courses import make_course
from tests.fixtures.users import login_as, make_user


def _events(type_: str) -> list[Event]:
    return list(db.session.scalars(select(Event).filter_by(type=type_)))


def _done(client, course, lesson):
    return client.post(f"/courses/{course.slug}/{lesson.slug}/done")


def test_enrolling_records_the_event_once_and_leads_to_the_first_lesson(client):
    course = make_course(lessons=2)
    user = make_user()
    login_as(client, user)
    first = client.post(f"/courses/{course.slug}/enrol")
    assert first.status_code == 303 and first.headers["Location"].endswith(f"/courses/{course.slug}/resume")
    client.post(f"/courses/{course.slug}/enrol")
    assert [e.user_id for e in _events("course_enrolled")] == [user.id]
    resume = client.get(f"/courses/{course.slug}/resume")
    assert resume.headers["Location"].endswith(f"/{course.slug}/{course.lessons[0].slug}")


def test_viewing_a_lesson_records_lesson_viewed_and_remembers_it_for_resume(client):
    course = make_course(lessons=3)
    user = make_user()
    login_as(client, user)
    client.post(f"/courses/{course.slug}/enrol")
    second = course.lessons[1]
    page = client.get(f"/courses/{course.slug}/{second.slug}")
    assert page.status_code == 200 and b"Body of lesson 2." in page.data
    assert b"Mark as done" in page.data and b"Discuss this lesson" in page.data
    viewed = _events("lesson_viewed")
    assert [(e.user_id, e.subject_id) for e in viewed] == [(user.id, second.id)]
    assert db.session.scalar(select(Enrollment.last_lesson_id)) == second.id
    resume = client.get(f"/courses/{course.slug}/resume")
    assert resume.headers["Location"].endswith(f"/{second.slug}")
    _done(client, course, second)
    resume = client.get(f"/courses/{course.slug}/resume")
    assert resume.headers["Location"].endswith(f"/{course.lessons[2].slug}")


def test_marking_done_counts_once_and_the_last_lesson_completes_the_course(client):
    course = make_course(lessons=2)
    user = make_user()
    login_as(client, user)
    first, last = course.lessons
    response = _done(client, course, first)  # enrols on the way
    assert response.headers["Location"].endswith(f"/{last.slug}")
    _done(client, course, first)
    assert len(_events("lesson_completed")) == 1
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    assert db.session.scalar(select(Enrollment.completed_at)) is None
    page = client.get(f"/courses/{course.slug}").data
    assert b"1 of 2 lessons done" in page and b"50%" in page and b"lesson-done" in page

    finish = _done(client, course, last)
    assert finish.headers["Location"].endswith(f"/courses/{course.slug}/certificate")
    db.session.expire_all()
    assert db.session.scalar(select(Enrollment.completed_at)) is not None
    assert [e.user_id for e in _events("course_completed")] == [user.id]
    assert db.session.scalar(select(BadgeAward.badge).filter_by(user_id=user.id,
                                                                badge="graduate")) == "graduate"
    paid = list(db.session.scalars(select(PointTransaction).filter_by(reason="course_completed")))
    assert [(p.user_id, p.delta, p.key) for p in paid] == [
        (user.id, 20, f"course:{course.id}:completed:{user.id}")]

    _done(client, course, last)  # a second click on the last lesson pays nothing more
    assert len(_events("course_completed")) == 1
    assert db.session.scalar(select(func.count()).select_from(PointTransaction).filter_by(
        reason="course_completed")) == 1


def test_the_certificate_exists_only_once_the_course_is_finished(client):
    course = make_course(title="Git for everyone", lessons=1)
    user = make_user(display_name="Ada Lovelace")
    login_as(client, user)
    client.post(f"/courses/{course.slug}/enrol")
    assert client.get(f"/courses/{course.slug}/certificate").status_code == 404
    _done(client, course, course.lessons[0])
    page = client.get(f"/courses/{course.slug}/certificate")
    assert page.status_code == 200
    assert b"Ada Lovelace" in page.data and b"Git for everyone" in page.data
    assert b"Completed on" in page.data
    login_as(client, make_user())
    assert client.get(f"/courses/{course.slug}/certificate").status_code == 404


def test_each_lesson_gets_a_discussion_thread_linked_both_ways(client):
    free = make_course(title="Docker in practice", lessons=2)
    paid = make_course(title="Advanced statistics", lessons=1, member_only=True)
    lesson = free.lessons[0]
    thread = db.session.get(Thread, lesson.discussion_thread_id)
    assert thread.category.name == "Courses" and not thread.category.member_only
    assert db.session.get(Thread, paid.lessons[0].discussion_thread_id).category.member_only
    opening = db.session.scalar(select(Post).filter_by(thread_id=thread.id, is_first=True))
    assert f'href="/lessons/{lesson.id}"' in opening.body_html
    assert client.get(f"/lessons/{lesson.id}").location.endswith(
        f"/courses/{free.slug}/{lesson.slug}")
    assert db.session.scalar(select(func.count()).select_from(Category).filter_by(slug="courses")) == 1

    page = client.get(f"/t/{thread.id}/{thread.slug}").data
    assert b"Discussion of the lesson" in page and lesson.title.encode() in page
    assert b"Docker in practice" in page
    lesson_page = client.get(f"/courses/{free.slug}/{lesson.slug}").data
    assert f"/t/{thread.id}".encode() in lesson_page


def test_previous_and_next_links(client):
    course = make_course(lessons=3)
    middle = client.get(f"/courses/{course.slug}/{course.lessons[1].slug}").data
    assert b'rel="prev"' in middle and b'rel="next"' in middle
    first = client.get(f"/courses/{course.slug}/{course.lessons[0].slug}").data
    assert b'rel="prev"' not in first
    assert client.get(f"/courses/{course.slug}/no-such-lesson").status_code == 404
