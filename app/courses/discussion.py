"""Each lesson's discussion thread in the forum, and the way back from the thread.

The thread is written here, inside the lesson's own transaction, with the invariants
the forum's posting service keeps (an opening post, its revision 1, its search
document and the `ask` event), so a lesson and its thread commit together or not at
all. Threads open when the course is published (or when a lesson is added to a
published course), so a draft never shows its lesson titles in the forum. Threads of
member-only courses go into a member-only category, so the forum's own checks keep the
discussion for members. Renaming a course or a lesson renames its threads, unless
someone has given a thread a title of its own.
"""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.courses.models import Course, Lesson
from app.extensions import db
from app.forum.models import Category, Post, PostRevision, Thread, ThreadKind
from app.forum.search_index import index_post
from app.forum.slugs import slugify
from app.insights.services import record
from app.timeutil import utcnow
from app.web.markdown import render_markdown


@dataclass(frozen=True)
class CourseCategory:
    slug: str
    name: str
    description: str
    member_only: bool


FREE = CourseCategory("courses", "Courses", "Discuss the lessons of our courses.", False)
MEMBERS = CourseCategory("member-courses", "Member courses",
                         "Discuss the lessons of member-only courses.", True)


def category_for(course: Course) -> Category:
    """The "Courses" category (or its member-only twin), created the first time it is needed."""
    spec = MEMBERS if course.member_only else FREE
    category = db.session.scalar(select(Category).where(Category.slug == spec.slug))
    if category is None:
        category = Category(name=spec.name, slug=spec.slug, description=spec.description,
                            member_only=spec.member_only, color="#0f766e", position=100)
        db.session.add(category)
        db.session.flush()
    return category


def thread_title(course_title: str, lesson_title: str) -> str:
    return f"{course_title}: {lesson_title}"[:150]


def open_lesson_thread(lesson: Lesson, author) -> Thread:
    """Start the discussion of `lesson` (already flushed, so it has an id)."""
    course = lesson.course
    now = utcnow()
    title = thread_title(course.title, lesson.title)
    thread = Thread(kind=ThreadKind.DISCUSSION, title=title, slug=slugify(title),
                    category_id=category_for(course).id, author_id=author.id,
                    created_at=now, last_activity_at=now, last_activity_by_id=author.id)
    db.session.add(thread)
    # A site-relative link that survives renames (it redirects to the lesson's current
    # address); this also runs from the seed command, outside any request.
    link = f"/lessons/{lesson.id}"
    body = (f"This is the discussion of the lesson [{lesson.title}]({link}) in the course "
            f"**{course.title}**.\n\nAsk questions about it, share your solutions and help "
            "each other here.")
    post = Post(thread=thread, author_id=author.id, is_first=True, body=body,
                body_html=render_markdown(body), created_at=now)
    db.session.add(post)
    db.session.flush()
    db.session.add(PostRevision(post_id=post.id, number=1, editor_id=author.id, title=title,
                                tags="", body=body, created_at=now))
    index_post(post)
    record("ask", user=author, subject=thread, data={"kind": ThreadKind.DISCUSSION})
    lesson.discussion_thread_id = thread.id
    return thread


def open_missing_threads(course: Course, author) -> int:
    """Open the threads of lessons that have none yet (when `course` is published)."""
    missing = [lesson for lesson in course.lessons if lesson.discussion_thread_id is None]
    for lesson in missing:
        open_lesson_thread(lesson, author)
    return len(missing)


def retitle_threads(lessons: list[Lesson], old_titles: dict[int, str]) -> None:
    """After a rename, give each lesson thread that still has its generated title
    (`old_titles`: lesson id -> the title generated before the rename) the new one."""
    for lesson in lessons:
        thread = lesson.discussion_thread
        if thread is None or thread.title != old_titles.get(lesson.id):
            continue
        new_title = thread_title(lesson.course.title, lesson.title)
        if new_title == thread.title:
            continue
        thread.title = new_title
        thread.slug = slugify(new_title)
        opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id,
                                                       Post.is_first))
        if opening is not None:
            index_post(opening)


def generated_titles(course: Course) -> dict[int, str]:
    """Lesson id -> its thread's generated title, taken before a rename."""
    return {lesson.id: thread_title(course.title, lesson.title) for lesson in course.lessons}


def follow_course_access(course: Course) -> None:
    """After `member_only` changes, move the course's lesson threads to the matching category."""
    thread_ids = select(Lesson.discussion_thread_id).where(
        Lesson.course_id == course.id, Lesson.discussion_thread_id.is_not(None))
    db.session.execute(update(Thread).where(Thread.id.in_(thread_ids))
                       .values(category_id=category_for(course).id))


def lesson_of_thread(thread_id: int) -> Lesson | None:
    """The lesson a thread discusses, with its course (one query), for the thread page."""
    return db.session.scalar(select(Lesson).options(joinedload(Lesson.course))
                             .where(Lesson.discussion_thread_id == thread_id))
