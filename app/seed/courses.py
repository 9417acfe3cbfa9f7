"""Demo courses, lessons, paths and learners, made through the course services.

Staff write the courses (so every lesson gets its discussion thread), and a sample
of people enrol, work through lessons and review, so completions, Graduate badges,
points and events are the real ones.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.billing.membership import is_member
from app.courses import editing, enrolment, paths, reviews
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread, ThreadKind
from app.insights.models import Event
from app.seed.course_content import COURSES, PATHS

LEARNER_SHARE = 0.3
QUESTION_SHARE = 0.25
CATALOGUE_AGE = timedelta(days=200)  # when the demo's first course was published
COMMENTS = ["Clear and practical.", "Just the right length.", "The examples helped a lot.",
            "Good, though I wanted more exercises.", ""]


def add_demo_courses(*, seed: int, now: datetime) -> int:
    """Write the demo catalogue and some learners' progress; returns the number of courses."""
    author = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if author is None:
        return 0
    courses = []
    for title, level, member_only, tags, summary, lessons in COURSES:
        course = editing.create_course(author, editing.CourseInput(
            title=title, summary=summary, level=level, tags=tags, member_only=member_only,
            description=f"{summary}\n\nEach lesson is short, with code to try and a "
                        "discussion thread for questions."))
        for lesson_title, minutes, body in lessons:
            editing.create_lesson(author, course, editing.LessonInput(
                title=lesson_title, body=body, estimated_minutes=minutes))
        editing.set_published(author, course, True)
        courses.append(course)
    for title, summary, slugs in PATHS:
        paths.create_path(author, paths.PathInput(title=title, summary=summary,
                                                  course_slugs=tuple(slugs), published=True))
    _backdate(courses, now - CATALOGUE_AGE)
    _add_learners(courses, random.Random(seed))
    _tag_questions(courses, random.Random(seed + 1))
    return len(courses)


def _tag_questions(courses, rng: random.Random) -> None:
    """Some forum questions asked after a free course came out are about it: those whose
    tags share the most with the course's, one in QUESTION_SHARE of the candidates."""
    free = [course for course in courses if not course.member_only]
    questions = db.session.scalars(
        select(Thread).where(Thread.kind == ThreadKind.QUESTION, Thread.course_id.is_(None))
        .options(selectinload(Thread.tags)).order_by(Thread.id))
    for thread in questions:
        names = {tag.name for tag in thread.tags}
        fits = [(len(names & {tag.name for tag in course.tags}), course) for course in free
                if course.created_at <= thread.created_at]
        overlap, best = max(fits, key=lambda fit: fit[0], default=(0, None))
        if overlap and rng.random() < QUESTION_SHARE:
            thread.course_id = best.id
    db.session.commit()


def _backdate(courses, published: datetime) -> None:
    """The catalogue has been there for months, so its quiet lesson threads sit where
    old threads belong in "Active" instead of filling the top of the home page."""
    for n, course in enumerate(courses):
        at = published + timedelta(days=3 * n)
        course.created_at = course.updated_at = at
        thread_ids = [lesson.discussion_thread_id for lesson in course.lessons]
        for lesson in course.lessons:
            lesson.created_at = at
        db.session.execute(update(Thread).where(Thread.id.in_(thread_ids))
                           .values(created_at=at, last_activity_at=at))
        post_ids = select(Post.id).where(Post.thread_id.in_(thread_ids))
        db.session.execute(update(Post).where(Post.thread_id.in_(thread_ids)).values(created_at=at))
        db.session.execute(update(PostRevision).where(PostRevision.post_id.in_(post_ids))
                           .values(created_at=at))
        db.session.execute(update(Event).where(Event.subject_type == "thread",
                                               Event.subject_id.in_(thread_ids))
                           .values(created_at=at))
    db.session.commit()


def _add_learners(courses, rng: random.Random) -> None:
    people = list(db.session.scalars(
        select(User).where(User.role == Role.MEMBER, User.deleted_at.is_(None)).order_by(User.id)))
    for user in rng.sample(people, k=round(len(people) * LEARNER_SHARE)):
        member = is_member(user)
        open_courses = [c for c in courses if member or not c.member_only]
        for course in rng.sample(open_courses, k=min(len(open_courses), rng.randint(1, 3))):
            enrolment.enrol(user, course.slug)
            for lesson in course.lessons[:rng.randint(0, len(course.lessons))]:
                enrolment.mark_done(user, course.slug, lesson.slug)
            if rng.random() < 0.5:
                reviews.save_review(user, course.slug, rating=rng.choice([3, 4, 4, 5, 5]),
                                    comment=rng.choice(COMMENTS))
