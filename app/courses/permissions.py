"""Who may see and do what in courses: decided here and nowhere else.

Views, templates and services all ask these. Drafts are for staff only. A member-only
course shows its outline (title, summary, lesson titles) to everyone, so people know
what membership unlocks, but lesson bodies only to members (`is_member` counts staff).
"""

from app.billing.membership import is_member
from app.courses.models import Course, Lesson


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and not user.is_deleted)


def _staff(user) -> bool:
    return _authenticated(user) and user.is_staff


def can_view_course(user, course: Course) -> bool:
    """The course page and its outline."""
    return course.published or _staff(user)


def can_view_lesson(user, lesson: Lesson) -> bool:
    """A lesson's body, video and discussion link."""
    course = lesson.course
    return can_view_course(user, course) and (not course.member_only or is_member(user))


def needs_membership(user, course: Course) -> bool:
    """Whether the page should show "Become a member" instead of the lessons."""
    return course.member_only and not is_member(user)


def can_enrol(user, course: Course) -> bool:
    return (_authenticated(user) and can_view_course(user, course)
            and not needs_membership(user, course))


def can_edit(user) -> bool:
    """Courses, lessons and paths are written by staff."""
    return _staff(user)


def can_review(user, enrollment) -> bool:
    """Only people enrolled in a course review it (an `Enrollment` of theirs, or None),
    and not while silenced: a review is public content."""
    return (_authenticated(user) and not user.is_silenced
            and enrollment is not None and enrollment.user_id == user.id)
