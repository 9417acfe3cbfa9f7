"""Courses, their lessons, who is enrolled and how far they got, reviews and paths.

Only `app.courses` services write these. Markdown is stored with its rendered HTML
(`*_html`), as forum posts are, so pages never render Markdown while serving.
"""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Tag, Thread
from app.timeutil import utcnow

course_tags = Table(
    "course_tags",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Course(db.Model):
    """A course: an ordered list of lessons. Drafts (`published` false) are staff-only;
    `member_only` courses show their outline to everyone and their lessons to members."""

    __table_args__ = (Index("ix_course_published_position", "published", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(12), default="beginner")
    member_only: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    tags: Mapped[list[Tag]] = relationship(secondary=course_tags, order_by="Tag.name")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="course", order_by="Lesson.position, Lesson.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Lesson(db.Model):
    """One step of a course, with its own discussion thread in the forum."""

    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        Index("ix_lesson_course_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str | None] = mapped_column(String(500))
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=5)
    discussion_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    discussion_thread: Mapped[Thread | None] = relationship()

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}/{self.slug}>"


class Enrollment(db.Model):
    """A learner in a course; `completed_at` is set once, when the last lesson is done."""

    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_enrollment_course", "course_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    enrolled_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()


class LessonProgress(db.Model):
    """A lesson marked as done by a learner; the unique key makes "done" happen once."""

    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), index=True
    )
    completed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CourseReview(db.Model):
    """One review per enrolled learner per course; editing it updates the same row."""

    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_course_review_course", "course_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class LearningPath(db.Model):
    """A track: courses to take in order."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    steps: Mapped[list["PathCourse"]] = relationship(
        back_populates="path", order_by="PathCourse.position",
        cascade="all, delete-orphan",
    )


class PathCourse(db.Model):
    """A course's place in a path."""

    __table_args__ = (UniqueConstraint("path_id", "course_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_path.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    path: Mapped[LearningPath] = relationship(back_populates="steps")
    course: Mapped[Course] = relationship()
