"""The demo has a real catalogue: courses with lessons and threads, paths and learners."""

from markupsafe import escape
from sqlalchemy import func, select

from app.courses.models import Course, CourseReview, Enrollment, LearningPath, Lesson
from app.extensions import db
from app.forum.models import Thread
from app.gamification import ledger


def test_the_demo_has_courses_paths_and_learners(app, client):
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--users", "40", "--threads",
                                                "30", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "12 courses" in result.output
    courses = db.session.scalars(select(Course)).all()
    assert len(courses) == 12 and all(c.published for c in courses)
    assert {c.member_only for c in courses} == {True, False}
    assert all(4 <= len(c.lessons) <= 7 for c in courses)
    assert db.session.scalar(select(func.count()).select_from(Lesson).where(
        Lesson.discussion_thread_id.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(LearningPath)) == 2
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) > 5
    assert db.session.scalar(select(func.count()).select_from(CourseReview)) > 0
    assert db.session.scalar(select(func.count(Enrollment.completed_at))) > 0
    assert ledger.find_discrepancies() == []
    page = client.get("/courses")
    assert page.status_code == 200 and b"Python basics" in page.data
    assert client.get("/paths/data-analyst-track").status_code == 200

    asked = db.session.scalars(select(Thread).where(Thread.course_id.is_not(None))).all()
    assert asked and all(not t.course.member_only and t.created_at >= t.course.created_at
                         for t in asked)
    course = asked[0].course
    newest = max((t for t in asked if t.course_id == course.id),
                 key=lambda t: (t.created_at, t.id))
    course_page = client.get(f"/courses/{course.slug}").data.decode()
    assert "Questions about this course" in course_page
    assert str(escape(newest.title)) in course_page
