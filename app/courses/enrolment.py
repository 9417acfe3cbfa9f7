"""Learning: enrol, read a lesson, mark it done, finish the course, resume.

Each function is one use case and one transaction. "Done" and "completed" happen
once: the unique keys on `LessonProgress` and the ledger's idempotency key hold even
when two requests race, so a double click never pays twice.
"""

from dataclasses import dataclass

from app.courses import progress
from app.courses.catalogue import done_lesson_ids, enrollment_of, visible_course
from app.courses.models import Course, Enrollment, Lesson, LessonProgress
from app.courses.permissions import can_enrol, can_view_lesson, needs_membership
from app.extensions import db
from app.forum.errors import Conflict, MembersOnly, NotFound, PermissionDenied
from app.forum.savepoint import insert_once
from app.gamification import ledger
from app.insights.services import record
from app.timeutil import utcnow


@dataclass(frozen=True)
class LessonPage:
    course: Course
    lesson: Lesson
    locked: bool  # the viewer may see the title, not the body
    done: bool
    enrollment: Enrollment | None
    progress: progress.Progress
    previous: Lesson | None
    next: Lesson | None


@dataclass(frozen=True)
class Done:
    lesson: Lesson
    newly_done: bool
    course_completed: bool  # this very click finished the course
    next: Lesson | None


def enrol(user, slug: str) -> Enrollment:
    """Join a course; enrolling again is a no-op that returns the first enrolment."""
    course = visible_course(user, slug)
    if not (user is not None and user.is_authenticated):
        raise PermissionDenied("Log in to enrol.")
    if not can_enrol(user, course):
        raise MembersOnly("This course is for members. Become a member to enrol.")
    existing = enrollment_of(user, course)
    if existing is not None:
        return existing
    enrollment = Enrollment(user_id=user.id, course_id=course.id, enrolled_at=utcnow())
    if not insert_once(enrollment):
        db.session.rollback()
        return enrollment_of(user, course)
    record("course_enrolled", user=user, subject=course)
    db.session.commit()
    return enrollment


def view_lesson(viewer, slug: str, lesson_slug: str) -> LessonPage:
    """A lesson for its page. A readable lesson records `lesson_viewed` and becomes the
    enrolment's last visited one (where Resume starts); a locked one records nothing."""
    course = visible_course(viewer, slug)
    lesson = next((item for item in course.lessons if item.slug == lesson_slug), None)
    if lesson is None:
        raise NotFound("We could not find that lesson.")
    ids = [item.id for item in course.lessons]
    locked = not can_view_lesson(viewer, lesson)
    enrollment = enrollment_of(viewer, course)
    done = done_lesson_ids(viewer, ids)
    if not locked:
        if enrollment is not None:
            enrollment.last_lesson_id = lesson.id
        record("lesson_viewed", user=viewer, subject=lesson, data={"course_id": course.id})
        db.session.commit()
    previous_id, next_id = progress.neighbours(ids, lesson.id)
    by_id = {item.id: item for item in course.lessons}
    return LessonPage(
        course=course, lesson=lesson, locked=locked, done=lesson.id in done,
        enrollment=enrollment,
        progress=progress.course_progress(ids, done, lesson.id),
        previous=by_id.get(previous_id), next=by_id.get(next_id),
    )


def mark_done(user, slug: str, lesson_slug: str) -> Done:
    """Mark a lesson done (enrolling first if needed); the last one completes the course.

    Completion sets `completed_at`, records `course_completed` (the Graduate badge
    listens) and pays the course points through the ledger, keyed per user and course.
    """
    course = visible_course(user, slug)
    lesson = next((item for item in course.lessons if item.slug == lesson_slug), None)
    if lesson is None:
        raise NotFound("We could not find that lesson.")
    if not (user is not None and user.is_authenticated):
        raise PermissionDenied("Log in to track your progress.")
    if needs_membership(user, course):
        raise MembersOnly("This lesson is for members.")
    enrollment = enrollment_of(user, course) or _enrol_in_transaction(user, course)
    newly_done = insert_once(LessonProgress(user_id=user.id, lesson_id=lesson.id,
                                            completed_at=utcnow()))
    if newly_done:
        record("lesson_completed", user=user, subject=lesson, data={"course_id": course.id})
    enrollment.last_lesson_id = lesson.id
    ids = [item.id for item in course.lessons]
    done = done_lesson_ids(user, ids)
    completed = False
    if progress.is_complete(ids, done) and enrollment.completed_at is None:
        enrollment.completed_at = utcnow()
        record("course_completed", user=user, subject=course)
        ledger.award(user.id, "course_completed", key=f"course:{course.id}:completed:{user.id}",
                     subject=course)
        completed = True
    db.session.commit()
    _, next_id = progress.neighbours(ids, lesson.id)
    return Done(lesson=lesson, newly_done=newly_done, course_completed=completed,
                next=next((item for item in course.lessons if item.id == next_id), None))


def resume_target(user, slug: str) -> Lesson:
    """The lesson "Resume" opens: the first not done from the last one visited onwards."""
    course = visible_course(user, slug)
    if not course.lessons:
        raise Conflict("This course has no lessons yet.")
    enrollment = enrollment_of(user, course)
    ids = [item.id for item in course.lessons]
    target = progress.resume_lesson(ids, done_lesson_ids(user, ids),
                                    enrollment.last_lesson_id if enrollment else None)
    return next(item for item in course.lessons if item.id == target)


def certificate(user, slug: str) -> Enrollment:
    """The finished enrolment a certificate is printed from; nobody else's, never early."""
    course = visible_course(user, slug)
    enrollment = enrollment_of(user, course)
    if enrollment is None or enrollment.completed_at is None:
        raise NotFound("A certificate appears here once you have finished the course.")
    return enrollment


def _enrol_in_transaction(user, course: Course) -> Enrollment:
    enrollment = Enrollment(user_id=user.id, course_id=course.id, enrolled_at=utcnow())
    if not insert_once(enrollment):
        return enrollment_of(user, course)
    record("course_enrolled", user=user, subject=course)
    return enrollment
