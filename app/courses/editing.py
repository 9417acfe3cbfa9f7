"""Staff writing courses and lessons: create, edit, reorder, publish.

Each function is one use case and one transaction, checks `can_edit` again (hiding the
admin links is never the only guard) and raises `ValidationError(field, message)` so
the form re-renders with what was typed.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.courses import progress
from app.courses.discussion import (
    follow_course_access,
    generated_titles,
    open_lesson_thread,
    open_missing_threads,
    retitle_threads,
    thread_title,
)
from app.courses.models import Course, Lesson
from app.courses.permissions import can_edit
from app.database import next_position
from app.extensions import db
from app.forum.errors import NotFound, PermissionDenied, ValidationError
from app.forum.models import Tag
from app.forum.slugs import slugify
from app.forum.validation import parse_tags
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from app.web.staff_input import all_or_nothing, clean_slug, clean_text, clean_title

# Lesson slugs share the URL space under /courses/<slug>/ with these pages.
RESERVED_LESSON_SLUGS = frozenset({"certificate", "resume", "enrol", "review", "questions"})
MAX_SUMMARY, MAX_TEXT = 300, 50_000


@dataclass(frozen=True)
class CourseInput:
    title: str
    slug: str = ""
    summary: str = ""
    description: str = ""
    level: str = "beginner"
    tags: str = ""
    member_only: bool = False


@dataclass(frozen=True)
class LessonInput:
    title: str
    slug: str = ""
    body: str = ""
    video_url: str = ""
    estimated_minutes: int | None = 5


def require_editor(actor) -> None:
    if not can_edit(actor):
        raise PermissionDenied("Only staff can edit courses.")



def get_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound("We could not find that course.")
    return course


def get_lesson(lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("We could not find that lesson.")
    return lesson


def all_courses(actor) -> list[Course]:
    """Every course, drafts too, for the staff list."""
    require_editor(actor)
    return list(db.session.scalars(select(Course).order_by(Course.position, Course.id)))


def create_course(actor, data: CourseInput) -> Course:
    """A new draft at the end of the catalogue; staff publish it when its lessons are ready."""
    require_editor(actor)
    course = Course(published=False)
    with all_or_nothing():
        _apply_course(course, data)
    course.position = next_position(Course.position)
    db.session.add(course)
    db.session.commit()
    return course


def update_course(actor, course: Course, data: CourseInput) -> Course:
    """Save the course; lesson threads follow when it becomes (or stops being) member-only,
    and take the new title when it is renamed."""
    require_editor(actor)
    was_member_only, old_titles = course.member_only, generated_titles(course)
    with all_or_nothing():
        _apply_course(course, data)
    course.updated_at = utcnow()
    db.session.flush()
    if course.member_only != was_member_only:
        follow_course_access(course)
    retitle_threads(course.lessons, old_titles)
    db.session.commit()
    return course


def set_published(actor, course: Course, published: bool) -> Course:
    """Publish or take back to draft. A course without lessons cannot be published: the
    catalogue would promise something with nothing in it. Publishing opens the lessons'
    discussion threads; taking a course back to draft leaves its threads where they are,
    since people may have written in them."""
    require_editor(actor)
    if published and not course.lessons:
        raise ValidationError("published", "Add at least one lesson before publishing.")
    course.published = published
    course.updated_at = utcnow()
    if published:
        open_missing_threads(course, actor)
    db.session.commit()
    return course


def create_lesson(actor, course: Course, data: LessonInput) -> Lesson:
    """A lesson at the end of the course, in one transaction with its discussion thread
    when the course is already published (a draft's threads open when it is published)."""
    require_editor(actor)
    lesson = Lesson()  # attached to the course only once it is valid
    with all_or_nothing():
        _apply_lesson(lesson, course, data)
    lesson.course = course
    lesson.position = max((other.position for other in course.lessons if other is not lesson),
                          default=-1) + 1
    db.session.add(lesson)
    db.session.flush()
    if course.published:
        open_lesson_thread(lesson, actor)
    db.session.commit()
    return lesson


def update_lesson(actor, lesson: Lesson, data: LessonInput) -> Lesson:
    """Save the lesson; its thread takes the new title when the lesson is renamed."""
    require_editor(actor)
    old_titles = {lesson.id: thread_title(lesson.course.title, lesson.title)}
    with all_or_nothing():
        _apply_lesson(lesson, lesson.course, data)
    lesson.updated_at = utcnow()
    retitle_threads([lesson], old_titles)
    db.session.commit()
    return lesson


def reorder_lessons(actor, course: Course, positions: dict[int, int]) -> list[Lesson]:
    """Put lessons in the order of the positions typed; they are renumbered 0..n-1, so
    gaps and ties in what was typed never reach the table."""
    require_editor(actor)
    lessons = {lesson.id: lesson for lesson in course.lessons}
    if set(positions) - set(lessons):
        raise ValidationError("positions", "Those lessons are not all in this course.")
    order = progress.reorder([lesson.id for lesson in course.lessons], positions)
    for position, lesson_id in enumerate(order):
        lessons[lesson_id].position = position
    course.updated_at = utcnow()
    db.session.commit()
    db.session.refresh(course)
    return course.lessons


def _apply_course(course: Course, data: CourseInput) -> None:
    course.title = clean_title(data.title)
    course.slug = clean_slug(data.slug or slugify(course.title), "slug")
    clash = db.session.scalar(select(Course.id).where(Course.slug == course.slug,
                                                      Course.id != (course.id or -1)))
    if clash is not None:
        raise ValidationError("slug", "Another course already uses this address.")
    course.summary = clean_text(data.summary, "summary", MAX_SUMMARY, required=True)
    course.description = clean_text(data.description, "description", MAX_TEXT)
    course.description_html = render_markdown(course.description)
    if data.level not in progress.LEVELS:
        raise ValidationError("level", "Choose beginner, intermediate or advanced.")
    course.level = data.level
    course.member_only = bool(data.member_only)
    course.tags = _tags(parse_tags(data.tags, required=False))


def _apply_lesson(lesson: Lesson, course: Course, data: LessonInput) -> None:
    lesson.title = clean_title(data.title)
    slug = clean_slug(data.slug or slugify(lesson.title), "slug")
    if slug in RESERVED_LESSON_SLUGS:
        raise ValidationError("slug", f"“{slug}” is taken by a page of the course; choose another.")
    if any(other.slug == slug for other in course.lessons if other is not lesson):
        raise ValidationError("slug", "Another lesson of this course already uses this address.")
    lesson.slug = slug
    lesson.body = clean_text(data.body, "body", MAX_TEXT, required=True)
    lesson.body_html = render_markdown(lesson.body)
    video = (data.video_url or "").strip()
    if video and not progress.is_http_url(video):
        raise ValidationError("video_url", "Use a full http:// or https:// address for the video.")
    lesson.video_url = video or None
    minutes = data.estimated_minutes
    if minutes is None or not 1 <= minutes <= progress.MAX_MINUTES:
        raise ValidationError("estimated_minutes",
                              f"Give the minutes it takes, from 1 to {progress.MAX_MINUTES}.")
    lesson.estimated_minutes = minutes


def _tags(names: list[str]) -> list[Tag]:
    """Courses reuse the forum's tags; staff may introduce new ones."""
    found = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in found:
            found[name] = Tag(name=name)
            db.session.add(found[name])
    return [found[name] for name in names]
