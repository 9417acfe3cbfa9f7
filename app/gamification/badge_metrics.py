"""Badge metrics measured over stored data, for the sweep.

Each source is one query yielding `user_id`, `subject_id` and a column named after each
metric it measures (`app.gamification.badges`); `candidates` turns a badge's rule into
WHERE clauses on it and leaves out pairs that already hold the award. Set-based: the
database does the counting, whatever the number of users.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    Select,
    String,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    null,
    select,
)

from app.accounts.models import User
from app.forum.models import Post, PostRevision, Tag, Thread, ThreadKind, Vote, thread_tags
from app.gamification import badges as rules
from app.gamification.badges import Badge
from app.gamification.models import ActivityDay, BadgeAward


@dataclass(frozen=True)
class Source:
    """Where the sweep measures a rule's metrics: the query, and the model its subject
    ids name (None when the badge is about the person alone)."""

    model: type | None
    measure: Callable[[], Select]

    @property
    def subject_type(self) -> str | None:
        return self.model.__table__.name if self.model is not None else None


def candidates(badge: Badge, source: Source) -> Select:
    """(user_id, subject_id) pairs meeting `badge`'s bounds with no award yet.

    The source's query yields user_id, subject_id and one column per metric; the badge's
    bounds become WHERE clauses, and the award key is rebuilt in SQL so the unique index
    answers the "already held?" question. A badge earned once takes each user's first
    subject.
    """
    rows = source.measure().subquery()
    bounds = [rows.c[m] >= v for m, v in badge.at_least.items()]
    bounds += [rows.c[m] <= v for m, v in badge.at_most.items()]
    user_id, subject_id = rows.c.user_id, rows.c.subject_id
    key = literal(f"{badge.slug}:") + cast(user_id, String)
    if badge.repeatable:
        key = key + literal(f":{source.subject_type}:") + cast(subject_id, String)
        stmt = select(user_id, subject_id)
    else:
        stmt = select(user_id, func.min(subject_id)).group_by(user_id)
    held = exists(select(BadgeAward.id).where(BadgeAward.key == key))
    return stmt.where(*bounds, ~held).order_by(user_id, *([subject_id] if badge.repeatable else []))


def _live_questions(stmt):
    return stmt.where(Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None))


def _live_answers(stmt):
    return _live_questions(stmt.join(Thread, Thread.id == Post.thread_id)).where(
        ~Post.is_first, Post.deleted_at.is_(None)
    )


def _questions():
    return _live_questions(select(
        Thread.author_id.label("user_id"),
        Thread.id.label("subject_id"),
        Thread.score.label(rules.QUESTION_SCORE),
        Thread.view_count.label(rules.QUESTION_VIEWS),
        literal(1).label(rules.QUESTIONS_ASKED),
    ))


def _answers():
    return _live_answers(select(
        Post.author_id.label("user_id"),
        Post.id.label("subject_id"),
        Post.score.label(rules.ANSWER_SCORE),
        case((Thread.accepted_post_id == Post.id, 1), else_=0).label(rules.ANSWER_ACCEPTED),
        (_epoch_days(Post.created_at) - _epoch_days(Thread.created_at)).label(
            rules.ANSWER_DELAY_DAYS
        ),
        literal(1).label(rules.ANSWERS_POSTED),
    ))


def _accepts():
    return _live_questions(select(
        Thread.author_id.label("user_id"),
        Thread.accepted_post_id.label("subject_id"),
        literal(1).label(rules.ACCEPTS_GIVEN),
    )).where(Thread.accepted_post_id.is_not(None))


def _edits():
    return select(
        PostRevision.editor_id.label("user_id"),
        PostRevision.post_id.label("subject_id"),
        literal(1).label(rules.EDITS),
    ).where(PostRevision.number > 1)


def _votes():
    return select(
        Vote.user_id.label("user_id"),
        Vote.post_id.label("subject_id"),
        case((Vote.value > 0, 1), else_=0).label(rules.UPVOTES_CAST),
        case((Vote.value < 0, 1), else_=0).label(rules.DOWNVOTES_CAST),
    )


def _bios():
    return select(
        User.id.label("user_id"),
        cast(null(), Integer).label("subject_id"),
        literal(1).label(rules.BIO_FILLED),
    ).where(User.bio != "", User.deleted_at.is_(None))


def _tag_totals():
    """Score and number of each user's live answers per tag of the question."""
    return _live_answers(select(
        Post.author_id.label("user_id"),
        thread_tags.c.tag_id.label("subject_id"),
        func.sum(Post.score).label(rules.TAG_SCORE),
        func.count(Post.id).label(rules.TAG_ANSWERS),
    )).join(thread_tags, thread_tags.c.thread_id == Thread.id).group_by(
        Post.author_id, thread_tags.c.tag_id
    )


def _streaks():
    """Each user's longest run of consecutive active days (gaps and islands: day number
    minus row number is constant along a run)."""
    numbered = select(
        ActivityDay.user_id,
        (
            _epoch_days(ActivityDay.day)
            - func.row_number().over(partition_by=ActivityDay.user_id, order_by=ActivityDay.day)
        ).label("island"),
    ).subquery()
    runs = select(numbered.c.user_id, func.count().label("length")).group_by(
        numbered.c.user_id, numbered.c.island
    ).subquery()
    return select(
        runs.c.user_id.label("user_id"),
        cast(null(), Integer).label("subject_id"),
        func.max(runs.c.length).label(rules.STREAK_DAYS),
    ).group_by(runs.c.user_id)


def _epoch_days(column):
    return extract("epoch", column) / 86400


# Metric -> its source. The first metric of a badge's rule found here decides where the
# sweep looks; badges with none (earned through events only) are not swept.
SOURCES = {
    rules.QUESTION_SCORE: Source(Thread, _questions),
    rules.QUESTION_VIEWS: Source(Thread, _questions),
    rules.QUESTIONS_ASKED: Source(Thread, _questions),
    rules.ANSWER_SCORE: Source(Post, _answers),
    rules.ANSWERS_POSTED: Source(Post, _answers),
    rules.ACCEPTS_GIVEN: Source(Post, _accepts),
    rules.EDITS: Source(Post, _edits),
    rules.UPVOTES_CAST: Source(Post, _votes),
    rules.DOWNVOTES_CAST: Source(Post, _votes),
    rules.BIO_FILLED: Source(None, _bios),
    rules.TAG_SCORE: Source(Tag, _tag_totals),
    rules.STREAK_DAYS: Source(None, _streaks),
}


def source_for(badge: Badge) -> Source | None:
    return next((SOURCES[m] for m in badge.at_least if m in SOURCES), None)
