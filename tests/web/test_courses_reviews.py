"""Reviews: enrolled learners only, one each, edited in place, with the average shown."""

from sqlalchemy import select

from app.courses.models import CourseReview
from app.extensions import db
from app.insights.models import Event
from tests.fixtures.courses import make_course
from tests.fixtures.users import login_as, make_user


def test_an_enrolled_learner_writes_then_edits_one_review(client):
    course = make_course()
    user = make_user(display_name="Grace Hopper")
    login_as(client, user)
    assert b"Write a review" not in client.get(f"/courses/{course.slug}").data
    client.post(f"/courses/{course.slug}/enrol")
    assert b"Write a review" in client.get(f"/courses/{course.slug}").data

    saved = client.post(f"/courses/{course.slug}/review", data={"rating": "4", "comment": "Clear."})
    assert saved.status_code == 303
    client.post(f"/courses/{course.slug}/review", data={"rating": "2", "comment": "Changed my mind."})
    rows = db.session.scalars(select(CourseReview)).all()
    assert [(r.rating, r.comment) for r in rows] == [(2, "Changed my mind.")]
    events = db.session.scalars(select(Event).filter_by(type="course_reviewed")).all()
    assert [e.data["created"] for e in events] == [True, False]
    page = client.get(f"/courses/{course.slug}").data
    assert b"Edit your review" in page and b"Changed my mind." in page and b"Grace Hopper" in page


def test_the_average_is_shown(client):
    course = make_course()
    for rating in (5, 4, 4):
        user = make_user()
        login_as(client, user)
        client.post(f"/courses/{course.slug}/enrol")
        client.post(f"/courses/{course.slug}/review", data={"rating": str(rating)})
    assert b"4.3" in client.get(f"/courses/{course.slug}").data


def test_someone_not_enrolled_may_not_review(client):
    course = make_course()
    login_as(client, make_user())
    assert client.post(f"/courses/{course.slug}/review", data={"rating": "5"}).status_code == 403
    client.post("/logout")
    assert "/login" in client.post(f"/courses/{course.slug}/review",
                                   data={"rating": "5"}).headers["Location"]
    assert db.session.scalar(select(CourseReview)) is None


def test_a_bad_rating_keeps_the_comment_that_was_typed(client):
    course = make_course()
    login_as(client, make_user())
    client.post(f"/courses/{course.slug}/enrol")
    page = client.post(f"/courses/{course.slug}/review", data={"rating": "9", "comment": "My words"})
    assert page.status_code == 422
    assert b"Choose a rating from 1 to 5 stars." in page.data and b"My words" in page.data
    long = client.post(f"/courses/{course.slug}/review", data={"rating": "3", "comment": "x" * 2001})
    assert b"Keep the review under 2000 characters" in long.data
    assert db.session.scalar(select(CourseReview)) is None
