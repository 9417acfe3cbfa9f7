"""What pages read from the stored recommendations: "For you", "Questions you can answer",
"Related" and "Learners also took". No model runs here.

Each reader reads the latest finished run in one query (plus one for the tags), loading
the threads or courses with what a list shows, and re-checks what may have changed since
the run: deleted or closed threads, member-only categories for this viewer, questions
answered meanwhile, courses unpublished or already taken.
"""

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.courses.models import Course, Enrollment
from app.extensions import db
from app.forum.listing import visible_to
from app.forum.models import Post, Tag, Thread, ThreadKind
from app.insights.interests import interests_of
from app.insights.models.recommendations import (
    Recommendation,
    RecommendationRun,
    RelatedCourse,
    RelatedThread,
)
from app.insights.recommend_blend import popular


@dataclass(frozen=True)
class Recommended:
    item: Thread | Course
    reason: str


def latest_run_id():
    """The latest finished run's id, as a subquery: readers never see a run half-written."""
    return (select(func.max(RecommendationRun.id))
            .where(RecommendationRun.finished_at.is_not(None)).scalar_subquery())


def _personal(user) -> bool:
    """Signed in, not deleted, and not opted out of personalisation."""
    return bool(user is not None and user.is_authenticated and not user.is_deleted
                and user.personalise)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def _open_threads(viewer):
    return (visible_to(viewer), Thread.closed_at.is_(None))


def _not_taken_part_in(user):
    """Threads the viewer has not written in (they may have answered since the run)."""
    return ~exists().where(Post.thread_id == Thread.id, Post.author_id == user.id,
                           Post.deleted_at.is_(None))


def _thread_rows(stmt, limit: int) -> list[tuple[Thread, str]]:
    stmt = stmt.options(joinedload(Thread.author), joinedload(Thread.category),
                        selectinload(Thread.tags)).limit(limit)
    return [(thread, reason) for thread, reason in db.session.execute(stmt).unique()]


def _stored_threads(user_id: int | None, kind: str, *where) -> Select:
    return (select(Thread, Recommendation.reason)
            .join(Recommendation, Recommendation.item_id == Thread.id)
            .where(Recommendation.run_id == latest_run_id(), Recommendation.kind == kind,
                   Recommendation.user_id.is_(None) if user_id is None
                   else Recommendation.user_id == user_id, *where)
            .order_by(Recommendation.rank))


def threads_for(user, limit: int = 20) -> list[Recommended]:
    """"For you": the user's stored picks; otherwise (anonymous, opted out, no results yet)
    the popular list, in their interests first when they picked some."""
    if _personal(user):
        rows = _thread_rows(_stored_threads(user.id, "thread", *_open_threads(user),
                                            _not_taken_part_in(user)), limit)
        if rows:
            return [Recommended(thread, reason) for thread, reason in rows]
    return popular_threads(user, limit)


def popular_threads(viewer, limit: int = 20) -> list[Recommended]:
    """The stored popular list for `viewer`, threads in their interests first."""
    where = list(_open_threads(viewer))
    if _signed_in(viewer):
        where.append(_not_taken_part_in(viewer))
    interests = {tag.id: tag.name for tag in interests_of(viewer)}
    picked: list[Recommended] = []
    if interests:
        rows = _thread_rows(_stored_threads(
            None, "thread", *where, Thread.tags.any(Tag.id.in_(list(interests)))), limit)
        picked = [Recommended(thread, popular("#" + next(
            t.name for t in thread.tags if t.id in interests))) for thread, _ in rows]
    if len(picked) < limit:
        seen = [r.item.id for r in picked]
        rows = _thread_rows(_stored_threads(None, "thread", *where, Thread.id.not_in(seen)),
                            limit - len(picked))
        picked += [Recommended(thread, reason) for thread, reason in rows]
    return picked


def answerable_for(user, limit: int = 5) -> list[Recommended]:
    """"Questions you can answer", still open and unanswered now."""
    if not _personal(user):
        return []
    rows = _thread_rows(_stored_threads(
        user.id, "answerable", *_open_threads(user), Thread.kind == ThreadKind.QUESTION,
        Thread.reply_count == 0, Thread.accepted_post_id.is_(None),
        Thread.author_id != user.id), limit)
    return [Recommended(thread, reason) for thread, reason in rows]


def related_threads(thread_id: int, viewer, limit: int = 5) -> list[Thread]:
    """"Related" on a thread page, among threads the viewer may open."""
    stmt = (select(Thread, RelatedThread.rank)
            .join(RelatedThread, RelatedThread.related_id == Thread.id)
            .where(RelatedThread.run_id == latest_run_id(), RelatedThread.thread_id == thread_id,
                   *_open_threads(viewer))
            .order_by(RelatedThread.rank))
    return [thread for thread, _ in _thread_rows(stmt, limit)]


def _course_rows(stmt, limit: int) -> list[tuple[Course, str]]:
    stmt = stmt.where(Course.published.is_(True)).options(selectinload(Course.tags)).limit(limit)
    return [(course, extra) for course, extra in db.session.execute(stmt)]


def courses_also_taken(course_id: int, limit: int = 5) -> list[Course]:
    """"Learners also took": co-enrolled courses first, then similar ones."""
    stmt = (select(Course, RelatedCourse.rank)
            .join(RelatedCourse, RelatedCourse.related_id == Course.id)
            .where(RelatedCourse.run_id == latest_run_id(), RelatedCourse.course_id == course_id)
            .order_by(RelatedCourse.rank))
    return [course for course, _ in _course_rows(stmt, limit)]


def courses_for(user, limit: int = 10) -> list[Recommended]:
    """Courses for the home page, not ones the user already took; member-only courses are
    included for everyone (their outline is the teaser). Popular ones otherwise."""
    def stored(user_id):
        stmt = (select(Course, Recommendation.reason)
                .join(Recommendation, Recommendation.item_id == Course.id)
                .where(Recommendation.run_id == latest_run_id(), Recommendation.kind == "course",
                       Recommendation.user_id.is_(None) if user_id is None
                       else Recommendation.user_id == user_id)
                .order_by(Recommendation.rank))
        if _signed_in(user):
            stmt = stmt.where(~exists().where(Enrollment.course_id == Course.id,
                                              Enrollment.user_id == user.id))
        return [Recommended(course, reason) for course, reason in _course_rows(stmt, limit)]

    return (_personal(user) and stored(user.id)) or stored(None)
