"""Reviews: one per enrolled learner per course, edited in place."""

from sqlalchemy import select

from app.courses import progress
from app.courses.catalogue import enrollment_of, visible_course
from app.courses.models import CourseReview
from app.courses.permissions import can_review
from app.extensions import db
from app.forum.errors import PermissionDenied, ValidationError
from app.insights.services import record
from app.moderation.restrictions import require_not_silenced
from app.timeutil import utcnow

MAX_COMMENT = 2000


def save_review(user, slug: str, *, rating: int | None, comment: str) -> CourseReview:
    """Write or rewrite the viewer's review. Each save records `course_reviewed` (with
    whether it was new), so analytics see rating changes as well as first reviews."""
    require_not_silenced(user)
    course = visible_course(user, slug)
    if not can_review(user, enrollment_of(user, course)):
        raise PermissionDenied("Enrol in the course to review it.")
    if rating is None or not progress.MIN_RATING <= rating <= progress.MAX_RATING:
        raise ValidationError("rating", "Choose a rating from 1 to 5 stars.")
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError("comment", f"Keep the review under {MAX_COMMENT} characters "
                                         f"(it has {len(comment)}).")
    review = db.session.scalar(select(CourseReview).where(
        CourseReview.user_id == user.id, CourseReview.course_id == course.id))
    created = review is None
    now = utcnow()
    if created:
        review = CourseReview(user_id=user.id, course_id=course.id, created_at=now)
        db.session.add(review)
    review.rating, review.comment, review.updated_at = rating, comment, now
    db.session.flush()
    record("course_reviewed", user=user, subject=course,
           data={"rating": rating, "created": created})
    db.session.commit()
    return review
