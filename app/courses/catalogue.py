"""Reading courses: the catalogue, a course page, a learner's progress.

Every function runs a fixed number of queries whatever the number of courses, lessons
or reviews: aggregates come from grouped subqueries, collections from `selectinload`.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.courses import progress
from app.courses.models import Course, CourseReview, Enrollment, Lesson, LessonProgress, course_tags
from app.courses.permissions import can_review, can_view_course, needs_membership
from app.extensions import db
from app.forum.errors import NotFound
from app.forum.listing import ThreadFilters, list_threads
from app.forum.models import Tag
from app.web.pagination import Page, paginate

PER_PAGE = 12
REVIEWS_SHOWN = 20
QUESTIONS_SHOWN = 5


@dataclass(frozen=True)
class CourseCard:
    """A course with the facts the catalogue shows next to it."""

    course: Course
    lessons: int
    minutes: int
    rating: float | None
    reviews: int


@dataclass(frozen=True)
class CoursePage:
    course: Course
    lessons: list[Lesson]
    enrollment: Enrollment | None
    done_ids: set[int]
    progress: progress.Progress
    reviews: list[CourseReview]
    rating: float | None
    review_count: int
    my_review: CourseReview | None
    locked: bool  # member-only and the viewer is not a member
    may_review: bool
    questions: Page  # the newest questions about the course the viewer may see


def _lesson_stats():
    return (select(Lesson.course_id, func.count(Lesson.id).label("lessons"),
                   func.coalesce(func.sum(Lesson.estimated_minutes), 0).label("minutes"))
            .group_by(Lesson.course_id).subquery())


def _review_stats():
    return (select(CourseReview.course_id, func.avg(CourseReview.rating).label("rating"),
                   func.count(CourseReview.id).label("reviews"))
            .group_by(CourseReview.course_id).subquery())


def catalogue_page(*, level: str | None = None, tag: str | None = None, page: int = 1) -> Page:
    """Published courses in catalogue order, optionally of one level and one tag.

    Three queries: the count, the page with its aggregates, and the page's tags.
    """
    lessons, reviews = _lesson_stats(), _review_stats()
    stmt = (
        select(Course, func.coalesce(lessons.c.lessons, 0), func.coalesce(lessons.c.minutes, 0),
               reviews.c.rating, func.coalesce(reviews.c.reviews, 0))
        .outerjoin(lessons, lessons.c.course_id == Course.id)
        .outerjoin(reviews, reviews.c.course_id == Course.id)
        .where(Course.published.is_(True))
        .options(selectinload(Course.tags))
        .order_by(Course.position, Course.id)
    )
    if level in progress.LEVELS:
        stmt = stmt.where(Course.level == level)
    if tag:
        stmt = stmt.where(Course.tags.any(Tag.name == tag))
    result = paginate(stmt, page=page, per_page=PER_PAGE, scalars=False)
    cards = [CourseCard(course=row[0], lessons=int(row[1]), minutes=int(row[2]),
                        rating=None if row[3] is None else round(float(row[3]), 1),
                        reviews=int(row[4])) for row in result.items]
    return Page(items=cards, page=result.page, per_page=result.per_page, total=result.total)


def catalogue_tags() -> list[Tag]:
    """Tags of published courses, for the filter (one query)."""
    return list(db.session.scalars(
        select(Tag).join(course_tags, course_tags.c.tag_id == Tag.id)
        .join(Course, Course.id == course_tags.c.course_id)
        .where(Course.published.is_(True)).distinct().order_by(Tag.name)
    ))


def course_choices(viewer, *, current_id: int | None = None) -> list[tuple[int, str]]:
    """Courses a question can be about, for the ask and edit forms: the published ones,
    and the one the thread is already about even if it went back to draft (one query)."""
    stmt = select(Course.id, Course.title).order_by(Course.title, Course.id)
    shown = Course.published.is_(True)
    if current_id is not None:
        shown = shown | (Course.id == current_id)
    return [(row.id, row.title) for row in db.session.execute(stmt.where(shown))]


def course_id_for_slug(slug: str | None) -> int | None:
    """The id behind a `?course=slug` link to the ask page (None when unknown)."""
    if not slug:
        return None
    return db.session.scalar(select(Course.id).where(Course.slug == slug))


def visible_course(viewer, slug: str) -> Course:
    """The course with its tags and lessons loaded, if `viewer` may see it (two queries)."""
    course = db.session.scalar(
        select(Course).where(Course.slug == slug)
        .options(selectinload(Course.tags), selectinload(Course.lessons))
    )
    if course is None or not can_view_course(viewer, course):
        raise NotFound("We could not find that course.")
    return course


def visible_lesson(viewer, lesson_id: int) -> Lesson:
    """A lesson whose course `viewer` may see (its outline, not necessarily its body)."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not can_view_course(viewer, lesson.course):
        raise NotFound("We could not find that lesson.")
    return lesson


def enrollment_of(user, course: Course) -> Enrollment | None:
    if not (user is not None and user.is_authenticated):
        return None
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                      Enrollment.course_id == course.id))


def done_lesson_ids(user, lesson_ids: list[int]) -> set[int]:
    if not (user is not None and user.is_authenticated) or not lesson_ids:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids))))


def course_page(viewer, slug: str) -> CoursePage:
    """Everything the course page shows, in a fixed number of queries."""
    course = visible_course(viewer, slug)
    lesson_ids = [lesson.id for lesson in course.lessons]
    enrollment = enrollment_of(viewer, course)
    done = done_lesson_ids(viewer, lesson_ids)
    rating, count = db.session.execute(
        select(func.avg(CourseReview.rating), func.count(CourseReview.id))
        .where(CourseReview.course_id == course.id)
    ).one()
    reviews = list(db.session.scalars(
        select(CourseReview).where(CourseReview.course_id == course.id)
        .options(selectinload(CourseReview.user))
        .order_by(CourseReview.updated_at.desc(), CourseReview.id.desc()).limit(REVIEWS_SHOWN)
    ))
    mine = None
    if enrollment is not None:
        mine = db.session.scalar(select(CourseReview).where(
            CourseReview.course_id == course.id, CourseReview.user_id == viewer.id))
    return CoursePage(
        course=course, lessons=list(course.lessons), enrollment=enrollment, done_ids=done,
        progress=progress.course_progress(lesson_ids, done,
                                          enrollment.last_lesson_id if enrollment else None),
        reviews=reviews, rating=None if rating is None else round(float(rating), 1),
        review_count=count, my_review=mine, locked=needs_membership(viewer, course),
        may_review=can_review(viewer, enrollment),
        questions=course_questions(viewer, course, ThreadFilters(sort="newest"), page=1,
                                   per_page=QUESTIONS_SHOWN),
    )


def course_questions(viewer, course: Course, filters: ThreadFilters, *, page: int,
                     per_page: int) -> Page:
    """Threads tagged with the course, through the forum's own list (so the member-only
    and deleted rules are the forum's)."""
    return list_threads(viewer, filters, page=page, per_page=per_page, course_id=course.id)
