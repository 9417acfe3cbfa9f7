"""What a re-engagement email says: a personal digest read from stored results.

New answers to the person's questions since they left, questions they could answer,
recommended threads and courses with their reasons, a competition they can enter now,
and how far they are from their next level. Every list is read through the same rules
the pages use: member-only threads appear only for members, and no post body ever
appears, only titles. No sending here: `campaign` decides what to do with a digest.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.billing.membership import is_member
from app.competitions.models import Competition
from app.extensions import db
from app.forum.listing import visible_to
from app.forum.models import Post, Thread
from app.gamification import levels
from app.insights.recommendation_reads import (
    Recommended,
    answerable_for,
    courses_for,
    threads_for,
)

NEW_ANSWERS_SHOWN = 5
ANSWERABLE_SHOWN = 3
THREADS_SHOWN = 3
COURSES_SHOWN = 2


@dataclass(frozen=True)
class AnsweredQuestion:
    thread: Thread
    answers: int  # new since the person was last seen


@dataclass(frozen=True)
class Digest:
    since: datetime
    new_answers: list[AnsweredQuestion]
    answerable: list[Recommended]
    threads: list[Recommended]
    courses: list[Recommended]
    competition: Competition | None
    progress: levels.Progress

    @property
    def worth_reading(self) -> bool:
        """Something to read or answer; a competition or a level alone is not a reason
        to write to someone."""
        return bool(self.new_answers or self.answerable or self.threads or self.courses)


def build_digest(user, *, since: datetime, now: datetime) -> Digest:
    """`user`'s digest for an absence that began at `since`."""
    answerable = answerable_for(user, ANSWERABLE_SHOWN)
    shown = {pick.item.id for pick in answerable}
    threads = [pick for pick in threads_for(user, THREADS_SHOWN + len(shown))
               if pick.item.id not in shown][:THREADS_SHOWN]
    return Digest(
        since=since,
        new_answers=new_answers(user, since),
        answerable=answerable,
        threads=threads,
        courses=courses_for(user, COURSES_SHOWN),
        competition=running_competition(user, now),
        progress=levels.progress(user.points),
    )


def new_answers(user, since: datetime) -> list[AnsweredQuestion]:
    """`user`'s threads that others answered after `since`, latest answer first; only
    threads the person may still open (a lapsed member's member-only ones are left out)."""
    answers = (select(Post.thread_id, func.count(Post.id).label("answers"),
                      func.max(Post.created_at).label("latest"))
               .join(Thread, Thread.id == Post.thread_id)
               .where(Thread.author_id == user.id, Post.is_first.is_(False),
                      Post.deleted_at.is_(None), Post.author_id != user.id,
                      Post.created_at > since)
               .group_by(Post.thread_id).subquery())
    rows = db.session.execute(
        select(Thread, answers.c.answers)
        .join(answers, answers.c.thread_id == Thread.id)
        .where(visible_to(user))
        .options(joinedload(Thread.category))
        .order_by(answers.c.latest.desc(), Thread.id)
        .limit(NEW_ANSWERS_SHOWN))
    return [AnsweredQuestion(thread, count) for thread, count in rows]


def running_competition(user, now: datetime) -> Competition | None:
    """The competition ending soonest that `user` may enter at `now` (the SQL twin of
    `lifecycle.is_open`); member-only ones for members only."""
    stmt = (select(Competition)
            .where(Competition.published.is_(True), Competition.finalized_at.is_(None),
                   Competition.starts_at <= now, Competition.ends_at > now)
            .order_by(Competition.ends_at, Competition.id).limit(1))
    if not is_member(user):
        stmt = stmt.where(Competition.member_only.is_(False))
    return db.session.scalar(stmt)
