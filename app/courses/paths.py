"""Learning paths: tracks of courses in order, and progress across them."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.courses import progress
from app.courses.catalogue import done_lesson_ids
from app.courses.editing import MAX_SUMMARY, require_editor
from app.courses.models import Course, Enrollment, LearningPath, PathCourse
from app.courses.permissions import can_edit, can_view_course
from app.database import next_position
from app.extensions import db
from app.forum.errors import NotFound, ValidationError
from app.forum.slugs import slugify
from app.web.staff_input import all_or_nothing, clean_slug, clean_text, clean_title


@dataclass(frozen=True)
class PathInput:
    title: str
    slug: str = ""
    summary: str = ""
    course_slugs: tuple[str, ...] = ()
    published: bool = False


@dataclass(frozen=True)
class PathStep:
    course: Course
    progress: progress.Progress
    enrolled: bool


@dataclass(frozen=True)
class PathPage:
    path: LearningPath
    steps: list[PathStep]
    progress: progress.Progress


def _with_courses():
    return selectinload(LearningPath.steps).selectinload(PathCourse.course).selectinload(
        Course.lessons)


def published_paths(viewer) -> list[LearningPath]:
    """Paths in order with their courses (drafts for staff too); four queries."""
    stmt = select(LearningPath).options(_with_courses()).order_by(
        LearningPath.position, LearningPath.id)
    if not can_edit(viewer):
        stmt = stmt.where(LearningPath.published.is_(True))
    return list(db.session.scalars(stmt))


def path_page(viewer, slug: str) -> PathPage:
    """A path's courses the viewer may see, each with its progress, and the whole track's."""
    path = db.session.scalar(select(LearningPath).where(LearningPath.slug == slug)
                             .options(_with_courses()))
    if path is None or not (path.published or can_edit(viewer)):
        raise NotFound("We could not find that learning path.")
    courses = [step.course for step in path.steps if can_view_course(viewer, step.course)]
    lesson_ids = [[lesson.id for lesson in course.lessons] for course in courses]
    done = done_lesson_ids(viewer, [i for ids in lesson_ids for i in ids])
    enrolled = set()
    if viewer is not None and viewer.is_authenticated and courses:
        enrolled = set(db.session.scalars(select(Enrollment.course_id).where(
            Enrollment.user_id == viewer.id,
            Enrollment.course_id.in_([course.id for course in courses]))))
    steps = [PathStep(course=course, progress=progress.course_progress(ids, done),
                      enrolled=course.id in enrolled)
             for course, ids in zip(courses, lesson_ids, strict=True)]
    return PathPage(path=path, steps=steps, progress=progress.path_progress(lesson_ids, done))


def get_path(path_id: int) -> LearningPath:
    path = db.session.get(LearningPath, path_id)
    if path is None:
        raise NotFound("We could not find that learning path.")
    return path


def create_path(actor, data: PathInput) -> LearningPath:
    require_editor(actor)
    path = LearningPath()
    with all_or_nothing():
        _apply(path, data)
    path.position = next_position(LearningPath.position)
    db.session.add(path)
    db.session.commit()
    return path


def update_path(actor, path: LearningPath, data: PathInput) -> LearningPath:
    """Save the path; its course list is replaced by the one typed, in that order."""
    require_editor(actor)
    with all_or_nothing():
        _apply(path, data)
    db.session.commit()
    return path


def _apply(path: LearningPath, data: PathInput) -> None:
    path.title = clean_title(data.title)
    path.slug = clean_slug(data.slug or slugify(path.title), "slug")
    clash = db.session.scalar(select(LearningPath.id).where(
        LearningPath.slug == path.slug, LearningPath.id != (path.id or -1)))
    if clash is not None:
        raise ValidationError("slug", "Another path already uses this address.")
    path.summary = clean_text(data.summary, "summary", MAX_SUMMARY, required=True)
    slugs = list(dict.fromkeys(s.strip().lower() for s in data.course_slugs if s.strip()))
    if not slugs:
        raise ValidationError("courses", "Give at least one course a step number.")
    found = {c.slug: c for c in db.session.scalars(select(Course).where(Course.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError("courses", f"No course has the address {', '.join(missing)}.")
    path.published = bool(data.published)
    existing = {step.course_id: step for step in path.steps}
    path.steps = [existing.get(found[s].id) or PathCourse(course=found[s]) for s in slugs]
    for position, step in enumerate(path.steps):
        step.position = position
