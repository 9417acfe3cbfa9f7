"""The catalogue and the course page: facts, filters, pagination, empty states, and a
fixed number of queries whatever the number of courses and lessons."""

from app.courses import catalogue, reviews
from app.courses.enrolment import enrol
from app.extensions import db
from tests.fixtures.courses import make_course
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def test_the_empty_catalogue_says_what_to_do(client):
    page = client.get("/courses").data
    assert b"No courses yet" in page and b'href="/courses"' in page  # the nav links here


def test_cards_show_level_access_lessons_minutes_and_rating(client):
    course = make_course(title="Pandas for analysts", lessons=3, minutes=15, level="intermediate",
                         tags="pandas")
    make_course(title="Members only SQL", member_only=True, lessons=1)
    for rating in (5, 4):
        user = make_user()
        enrol(user, course.slug)
        reviews.save_review(user, course.slug, rating=rating, comment="")
    page = client.get("/courses").data
    assert b"Pandas for analysts" in page and b"Intermediate" in page
    assert b"3 lessons" in page and b"45 min" in page
    assert b"4.5" in page and b"(2 reviews)" in page
    assert b"Free" in page and b"Members" in page and b"No ratings yet" in page


def test_filters_by_level_and_tag_and_says_when_nothing_matches(client):
    make_course(title="Beginner Git course", tags="git")
    make_course(title="Advanced Docker course", level="advanced", tags="docker")
    advanced = client.get("/courses?level=advanced").data
    assert b"Advanced Docker course" in advanced and b"Beginner Git course" not in advanced
    tagged = client.get("/courses?tag=git").data
    assert b"Beginner Git course" in tagged and b"Advanced Docker course" not in tagged
    nothing = client.get("/courses?level=advanced&tag=git").data
    assert b"No courses match" in nothing


def test_the_catalogue_paginates(client):
    for n in range(catalogue.PER_PAGE + 1):
        make_course(title=f"Paged course {n:02d}", lessons=1)
    first = client.get("/courses").data
    assert first.count(b'class="card course-card"') == catalogue.PER_PAGE
    second = client.get("/courses?page=2").data
    assert second.count(b'class="card course-card"') == 1 and b"Paged course 12" in second


def _queries(client, url):
    db.session.expunge_all()  # each request starts with an empty identity map, as in a server
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log


def test_the_catalogue_runs_a_fixed_number_of_queries(client):
    make_course(lessons=1)
    login_as(client, make_user())
    few = _queries(client, "/courses")
    for _ in range(5):
        make_course(lessons=4, tags="python sql")
    many = _queries(client, "/courses")
    assert few.count == many.count, many.statements
    assert many.count <= 10


def test_the_course_page_runs_a_fixed_number_of_queries(client):
    small, large = make_course(lessons=1), make_course(lessons=7, tags="python sql git")
    user = make_user()
    login_as(client, user)
    for course in (small, large):
        enrol(user, course.slug)
        reviews.save_review(user, course.slug, rating=4, comment="Good")
        first = make_user()
        enrol(first, course.slug)
        reviews.save_review(first, course.slug, rating=3, comment="Fine")
    small_slug, large_slug = small.slug, large.slug
    for _ in range(4):
        other = make_user()
        enrol(other, large.slug)
        reviews.save_review(other, large.slug, rating=5, comment="Great")
    few = _queries(client, f"/courses/{small_slug}")
    many = _queries(client, f"/courses/{large_slug}")
    assert few.count == many.count, many.statements
    assert many.count <= 15

