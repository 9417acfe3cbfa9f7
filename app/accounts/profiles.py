"""What a profile page shows: a person's questions, answers and public activity.

Every list filters in SQL with the forum's `visible_to(viewer)`, so a member-only thread
is never counted or listed for someone who could not open it, and pages stay even.
Each list is one paginated query with its relations loaded eagerly.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import User
from app.accounts.rules import username_key
from app.extensions import db
from app.forum.listing import visible_to
from app.forum.models import Post, Thread
from app.insights.models import Event
from app.web.markdown import markdown_to_text
from app.web.pagination import Page, paginate

TABS = ("activity", "questions", "answers")
# Events anyone may see on a profile; votes, views and logins stay private.
PUBLIC_EVENT_TYPES = ("ask", "answer", "reply", "accept")
EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class Counts:
    questions: int
    answers: int


def find_profile_user(username: str) -> User | None:
    """Live accounts only: a deleted account has no profile."""
    return db.session.scalar(
        select(User).where(User.username_key == username_key(username), User.deleted_at.is_(None))
    )


def profile_counts(user: User, viewer) -> Counts:
    questions = _questions(user, viewer).with_only_columns(func.count(Thread.id)).order_by(None)
    answers = _answers(user, viewer).with_only_columns(func.count(Post.id)).order_by(None)
    row = db.session.execute(select(questions.scalar_subquery(), answers.scalar_subquery())).one()
    return Counts(questions=row[0], answers=row[1])


def user_questions(user: User, viewer, *, page: int, per_page: int) -> Page:
    stmt = _questions(user, viewer).options(
        selectinload(Thread.tags), selectinload(Thread.category)
    )
    return paginate(stmt, page=page, per_page=per_page)


def user_answers(user: User, viewer, *, page: int, per_page: int) -> Page:
    stmt = _answers(user, viewer).options(contains_eager(Post.thread))
    return paginate(stmt, page=page, per_page=per_page)


def user_activity(user: User, viewer, *, page: int, per_page: int) -> Page:
    """Rows of (event, thread, post or None), newest first.

    An event's subject is a thread (ask) or a post (answer, reply, accept); both lead
    to a thread, whose visibility decides whether the event is shown.
    """
    thread_id = case((Event.subject_type == "thread", Event.subject_id), else_=Post.thread_id)
    stmt = (
        select(Event, Thread, Post)
        .outerjoin(Post, and_(Event.subject_type == "post", Post.id == Event.subject_id))
        .join(Thread, Thread.id == thread_id)
        .where(
            Event.user_id == user.id,
            Event.type.in_(PUBLIC_EVENT_TYPES),
            or_(Post.id.is_(None), Post.deleted_at.is_(None)),
            visible_to(viewer),
        )
        .order_by(Event.created_at.desc(), Event.id.desc())
    )
    return paginate(stmt, page=page, per_page=per_page, scalars=False)


def excerpt(post: Post) -> str:
    if post.is_hidden:
        return post.hidden_notice
    text = markdown_to_text(post.body)
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"


def _questions(user: User, viewer):
    return (
        select(Thread)
        .where(Thread.author_id == user.id, visible_to(viewer))
        .order_by(Thread.created_at.desc(), Thread.id.desc())
    )


def _answers(user: User, viewer):
    return (
        select(Post)
        .join(Post.thread)
        .where(
            Post.author_id == user.id,
            Post.is_first.is_(False),
            Post.deleted_at.is_(None),
            visible_to(viewer),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
    )
