"""Data for the insights jobs' benchmark: a Q&A community two years old.

    python -m bench.community_data --database-url URL [--scale 0.1] [--seed 7]

Written straight into the tables with bulk inserts (COPY on PostgreSQL), as
`bench.leaderboard_data` does. The shape is what the jobs care about:

- activity is skewed (each person's weight is Pareto-distributed: a few people do most
  things, most people lurk) and clusters in time: each person is active in one window
  that starts after sign-up and, for most, ends well before now (churn);
- people have one to three home tags, mostly of one tag family, and ask, answer, view
  and vote mostly there, so the communities job has clusters to find;
- the event log agrees with the tables: one "ask" per thread at its creation, one
  "answer" or "reply" per non-first post at its time by its author, one "accept" per
  accepted answer, votes and views only on threads and posts that existed then, lesson
  completions only after enrolling; sessions open with a "login".

Everything is drawn with numpy from one seed and kept as arrays (a few hundred MB at
full size); rows are built and written 20,000 at a time.
"""

import argparse
import random
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, bindparam, inspect, make_url, text

from app.accounts.models import User
from app.courses.models import Course, Enrollment, Lesson, LessonProgress, course_tags
from app.forum.models import Category, Post, Tag, Thread, thread_tags
from app.insights.models import Event
from bench.bulk import BATCH, analyze, insert_rows
from bench.community_words import FAMILIES, GENERAL, OUTCOMES, TITLES, VERBS, tag_families

HISTORY = timedelta(days=730)
DAY = 86_400.0
KEY = 1e8  # seconds of history stay below this, so `group * KEY + seconds` sorts by both
EVENT_TYPES = ("login", "view", "vote", "search", "ask", "answer", "reply", "accept",
               "course_enrolled", "lesson_completed")
LOGIN, VIEW, VOTE, SEARCH, ASK, ANSWER, REPLY, ACCEPT, ENROLLED, LESSON = range(10)
SESSION_LENGTH = 6.0  # events per session, its login included: logins are about 1/6
IN_SESSION = {VIEW: 0.72, VOTE: 0.21, SEARCH: 0.07}
DATA_FAMILIES = {0, 1, 2, 16, 17, 18, 19, 22, 24}  # see community_words.FAMILIES
WEB_FAMILIES = {4, 5, 6}
CATEGORIES = (("Questions", "questions", False), ("Discussions", "discussions", False),
              ("Data science", "data-science", False), ("Web", "web", False),
              ("Show and tell", "show-and-tell", False), ("Members", "members", True))


@dataclass(frozen=True)
class Sizes:
    users: int = 100_000
    threads: int = 200_000
    posts: int = 1_000_000  # opening posts included
    events: int = 5_000_000
    tags: int = 300
    courses: int = 36
    lessons_per_course: int = 8

    @classmethod
    def small(cls) -> "Sizes":
        """For tests: seconds to build, the same shape."""
        return cls(users=2_000, threads=4_000, posts=20_000, events=100_000, tags=60, courses=6)

    def scaled(self, factor: float) -> "Sizes":
        """Rows scale with `factor`; tags and courses with its square root."""
        root = factor ** 0.5
        return replace(
            self, users=max(100, round(self.users * factor)),
            threads=max(100, round(self.threads * factor)),
            posts=max(500, round(self.posts * factor)),
            events=max(2_500, round(self.events * factor)),
            tags=min(self.tags, max(25, round(self.tags * root))),
            courses=max(3, round(self.courses * root)),
        )


@dataclass(frozen=True)
class Generated:
    users: int
    threads: int
    posts: int
    events: int
    tags: int
    courses: int
    lessons: int
    active_users: int  # not deleted, with an event in the 30 days before `now`
    event_types: dict[str, int]


@dataclass
class _People:
    joined: np.ndarray  # seconds since the start of history, in id order
    first: np.ndarray  # the active window
    last: np.ndarray
    weight: np.ndarray
    home: np.ndarray  # (users, 3) tag indexes; one or two home tags repeat


@dataclass
class _Tags:
    names: list[str]
    family: np.ndarray
    popularity: np.ndarray  # sums to 1
    family_start: np.ndarray
    family_size: np.ndarray


@dataclass
class _Threads:
    time: np.ndarray  # in id order: ids follow creation time
    author: np.ndarray  # user indexes (id - 1)
    question: np.ndarray
    tags: np.ndarray  # (threads, 4), -1 where unused
    by_tag_key: np.ndarray  # tag * KEY + time for each (thread, tag), sorted
    by_tag_thread: np.ndarray
    tag_start: np.ndarray
    accepted: np.ndarray | None = None  # a post index or -1, set with the accept events


@dataclass
class _Posts:
    time: np.ndarray  # in id order
    thread: np.ndarray
    author: np.ndarray
    first: np.ndarray
    by_thread_key: np.ndarray  # thread * KEY + time, sorted
    by_thread_post: np.ndarray


def generate(connection: Connection, sizes: Sizes, *, now: datetime, seed: int = 7) -> Generated:
    """Fill an empty schema and ANALYZE it, as a live database has planner statistics."""
    if sizes.posts < sizes.threads or sizes.events < 2 * sizes.posts:
        raise ValueError("need posts >= threads and events >= 2 * posts")
    rng = np.random.default_rng(seed)
    start = now - HISTORY
    tags = _tags(sizes.tags)
    people = _people(rng, sizes.users, tags)
    threads = _threads(rng, sizes.threads, people, tags)
    posts = _posts(rng, sizes.posts - sizes.threads, threads, people, tags)
    courses = _courses(rng, sizes, tags)
    events = _events(rng, sizes.events, people, tags, threads, posts, courses)
    last_event = np.full(sizes.users, -1.0)
    np.maximum.at(last_event, events["user"], events["time"])

    text_rng = random.Random(seed)
    insert_rows(connection, Category.__table__, [
        {"id": n, "name": name, "slug": slug, "position": n, "member_only": members,
         "created_at": start} for n, (name, slug, members) in enumerate(CATEGORIES, 1)])
    insert_rows(connection, Tag.__table__, [
        {"id": n, "name": name, "created_at": start} for n, name in enumerate(tags.names, 1)])
    deleted = _insert_users(connection, rng, people, last_event, start)
    _insert_courses(connection, courses, tags, start)
    _insert_threads(connection, rng, text_rng, threads, posts, events, tags, start)
    _insert_posts(connection, text_rng, posts, threads, tags, start)
    _set_thread_post_refs(connection, threads, posts, events)
    _insert_enrollments(connection, courses, start)
    _insert_events(connection, text_rng, events, tags, start)
    analyze(connection)

    span = HISTORY.total_seconds()
    recent = last_event >= span - 30 * DAY
    recent[deleted] = False
    counts = np.bincount(events["type"], minlength=len(EVENT_TYPES))
    return Generated(
        users=sizes.users, threads=sizes.threads, posts=sizes.posts,
        events=len(events["time"]), tags=len(tags.names), courses=sizes.courses,
        lessons=sizes.courses * sizes.lessons_per_course, active_users=int(recent.sum()),
        event_types={name: int(n) for name, n in zip(EVENT_TYPES, counts, strict=True) if n},
    )


# --- drawing the community -------------------------------------------------------------

def _tags(count: int) -> _Tags:
    """Popularity is Zipf-like: a family's weight over its rank, times 1 / position."""
    pairs = tag_families(count)
    family = np.array([f for _, f in pairs])
    position = np.concatenate([np.arange(n) for n in np.bincount(family)])
    popularity = 1.0 / ((family + 1) ** 0.8 * (position + 1))
    sizes = np.bincount(family, minlength=len(FAMILIES))
    return _Tags(names=[n for n, _ in pairs], family=family,
                 popularity=popularity / popularity.sum(),
                 family_start=np.concatenate([[0], np.cumsum(sizes)[:-1]]), family_size=sizes)


def _zipf_tags(rng, tags: _Tags, n: int) -> np.ndarray:
    return rng.choice(len(tags.names), size=n, p=tags.popularity)


def _family_tags(rng, tags: _Tags, of: np.ndarray, *, same: float) -> np.ndarray:
    """A tag of the same family as each of `of` (the popular ones more often) with
    probability `same`, else any tag by popularity."""
    family = tags.family[of]
    member = tags.family_start[family] + (tags.family_size[family] * rng.random(len(of)) ** 2
                                          ).astype(np.int64)
    return np.where(rng.random(len(of)) < same, member, _zipf_tags(rng, tags, len(of)))


def _people(rng, users: int, tags: _Tags) -> _People:
    """Sign-ups grow over the two years (density rises linearly), ids in sign-up order.

    Each person is active in one window from soon after joining; about a fifth stay
    active to now (heavier users more often), the rest leave after a few months.
    """
    span = HISTORY.total_seconds()
    joined = np.sort(span * np.sqrt(rng.random(users)))
    weight = np.minimum(rng.pareto(1.15, users) + 1.0, 3_000.0)
    first = np.minimum(joined + rng.exponential(2 * DAY, users), span - 60)
    rank = np.argsort(np.argsort(weight)) / users
    stays = rng.random(users) < 0.05 + 0.35 * rank
    last = np.where(stays, span, np.minimum(first + rng.exponential(100 * DAY, users), span))
    home = np.empty((users, 3), dtype=np.int64)
    home[:, 0] = _zipf_tags(rng, tags, users)
    home[:, 1] = _family_tags(rng, tags, home[:, 0], same=0.75)
    home[:, 2] = _family_tags(rng, tags, home[:, 0], same=0.75)
    count = rng.choice(3, size=users, p=[0.45, 0.35, 0.20]) + 1
    home[count == 1, 1] = home[count == 1, 0]
    home[count < 3, 2] = home[count < 3, 0]
    return _People(joined=joined, first=first, last=last, weight=weight, home=home)


def _who_and_when(rng, people: _People, n: int, *, power: float = 1.0):
    """`n` acts: who (by weight ** power) and when (within their active window)."""
    p = people.weight ** power
    user = rng.choice(len(p), size=n, p=p / p.sum())
    when = people.first[user] + (people.last[user] - people.first[user]) * rng.random(n)
    return user, when


def _home_or_any(rng, people: _People, tags: _Tags, user: np.ndarray, *, home: float):
    pick = people.home[user, rng.integers(0, 3, len(user))]
    return np.where(rng.random(len(user)) < home, pick, _zipf_tags(rng, tags, len(user)))


def _threads(rng, count: int, people: _People, tags: _Tags) -> _Threads:
    """Asking is less skewed than answering (newcomers ask); 85% are questions.

    The first tag is a home tag of the asker's (85%), up to three more mostly from its
    family.
    """
    author, when = _who_and_when(rng, people, count, power=0.5)
    when = np.minimum(when, HISTORY.total_seconds() - 600)
    order = np.argsort(when, kind="stable")
    author, when = author[order], when[order]
    tag = np.full((count, 4), -1, dtype=np.int64)
    tag[:, 0] = _home_or_any(rng, people, tags, author, home=0.85)
    extra = rng.choice(4, size=count, p=[0.30, 0.35, 0.25, 0.10])
    for k in range(1, 4):
        more = _family_tags(rng, tags, tag[:, 0], same=0.8)
        duplicate = (tag[:, :k] == more[:, None]).any(axis=1)
        tag[:, k] = np.where((extra >= k) & ~duplicate, more, -1)
    thread, slot = np.nonzero(tag >= 0)
    link_tag = tag[thread, slot]
    key = link_tag * KEY + when[thread]
    order = np.argsort(key, kind="stable")
    return _Threads(
        time=when, author=author, question=rng.random(count) < 0.85, tags=tag,
        by_tag_key=key[order], by_tag_thread=thread[order],
        tag_start=np.searchsorted(key[order], np.arange(len(tags.names)) * KEY),
    )


def _pick_threads(rng, threads: _Threads, tag: np.ndarray, when: np.ndarray) -> np.ndarray:
    """A thread of `tag` created before `when`: 70% one of the tag's latest (the front
    page), the rest any earlier one (search traffic); any thread when the tag had none
    yet, and the first thread when there was none at all (the act moves after it)."""
    n = len(tag)
    end = np.searchsorted(threads.by_tag_key, tag * KEY + when)
    before = end - threads.tag_start[tag]
    recent = rng.random(n) < 0.7
    back = np.where(recent, rng.exponential(40, n), rng.random(n) * before).astype(np.int64)
    back = np.minimum(back, np.maximum(before - 1, 0))
    in_tag = threads.by_tag_thread[np.maximum(end - 1 - back, 0)]
    anywhere = np.searchsorted(threads.time, when)
    fallback = np.maximum(anywhere - 1 - (rng.random(n) * anywhere).astype(np.int64), 0)
    return np.where(before > 0, in_tag, fallback)


def _posts(rng, answers: int, threads: _Threads, people: _People, tags: _Tags) -> _Posts:
    """Opening posts plus `answers` answers and replies, ids in time order."""
    author, when = _who_and_when(rng, people, answers)
    thread = _pick_threads(rng, threads, _home_or_any(rng, people, tags, author, home=0.85), when)
    moved = np.maximum(when, threads.time[thread] + 60 + rng.exponential(600, answers))
    when = np.minimum(moved, HISTORY.total_seconds() - 1)
    count = len(threads.time)
    time_ = np.concatenate([threads.time, when])
    order = np.argsort(time_, kind="stable")
    thread_of = np.concatenate([np.arange(count), thread])[order]
    key = thread_of * KEY + time_[order]
    by_thread = np.argsort(key, kind="stable")
    return _Posts(
        time=time_[order], thread=thread_of,
        author=np.concatenate([threads.author, author])[order], first=order < count,
        by_thread_key=key[by_thread], by_thread_post=by_thread,
    )


@dataclass
class _Courses:
    tag: np.ndarray
    member_only: np.ndarray
    published: np.ndarray
    lessons: int
    enrol_user: np.ndarray
    enrol_course: np.ndarray
    enrol_time: np.ndarray
    done: np.ndarray  # lessons completed, in order, per enrollment
    lesson_time: np.ndarray  # (enrollments, lessons), nan where not done


def _courses(rng, sizes: Sizes, tags: _Tags) -> _Courses:
    """Courses on popular tags; learners pick one in their tag family when there is one.
    Enrollments carry about 5% of the events with their lesson completions."""
    course_tag = np.unique(_zipf_tags(rng, tags, sizes.courses * 3))[: sizes.courses]
    course_tag = np.resize(course_tag, sizes.courses)
    published = np.ones(sizes.courses, dtype=bool)
    published[-max(1, sizes.courses // 12):] = False
    return _Courses(tag=course_tag, member_only=rng.random(sizes.courses) < 0.25,
                    published=published, lessons=sizes.lessons_per_course,
                    enrol_user=np.empty(0, np.int64), enrol_course=np.empty(0, np.int64),
                    enrol_time=np.empty(0), done=np.empty(0, np.int64),
                    lesson_time=np.empty((0, sizes.lessons_per_course)))


def _enrol(rng, courses: _Courses, people: _People, tags: _Tags, budget: int) -> None:
    open_ = np.flatnonzero(courses.published)
    want = max(1, budget // 3)
    user, when = _who_and_when(rng, people, want)
    family = tags.family[people.home[user, 0]]
    by_family = {f: open_[tags.family[courses.tag[open_]] == f] for f in np.unique(family)}
    course = rng.choice(open_, size=want)
    affine = rng.random(want) < 0.6
    for i in np.flatnonzero(affine):
        near = by_family[family[i]]
        if len(near):
            course[i] = near[rng.integers(len(near))]
    _, unique = np.unique(user * len(courses.tag) + course, return_index=True)
    unique.sort()
    user, course, when = user[unique], course[unique], when[unique]
    n = len(user)
    steps = when[:, None] + np.cumsum(rng.exponential(2 * DAY, (n, courses.lessons)), axis=1)
    done = np.minimum(rng.geometric(0.22, n) - 1, courses.lessons)
    span = HISTORY.total_seconds()
    done = np.minimum(done, (steps < span).sum(axis=1))
    steps[np.arange(courses.lessons)[None, :] >= done[:, None]] = np.nan
    courses.enrol_user, courses.enrol_course, courses.enrol_time = user, course, when
    courses.done, courses.lesson_time = done, steps


def _events(rng, total: int, people, tags, threads, posts, courses) -> dict[str, np.ndarray]:
    """All events as arrays sorted by time: user, type, subject, extra (the thread of an
    answer or accept, a vote's value, a lesson's course, a search's tag) and time."""
    parts = [_ask_events(threads), _answer_events(posts, threads)]
    parts.append(_accept_events(rng, threads, posts))
    fixed = sum(len(p["time"]) for p in parts)
    _enrol(rng, courses, people, tags, round(total * 0.05))
    parts.append(_course_events(courses))
    used = sum(len(p["time"]) for p in parts)
    parts.append(_session_events(rng, total - used, people, tags, threads, posts))
    if fixed > total:
        raise ValueError("too few events for the posts")
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(merged["time"], kind="stable")
    return {k: v[order] for k, v in merged.items()}


def _event_arrays(user, type_, subject, extra, when) -> dict[str, np.ndarray]:
    n = len(when)
    return {"user": np.asarray(user, np.int64), "type": np.full(n, type_, np.int8)
            if np.isscalar(type_) else type_.astype(np.int8),
            "subject": np.asarray(subject, np.int64), "extra": np.asarray(extra, np.int64),
            "time": np.asarray(when, np.float64)}


def _ask_events(threads: _Threads):
    n = len(threads.time)
    return _event_arrays(threads.author, ASK, np.arange(n), threads.question, threads.time)


def _answer_events(posts: _Posts, threads: _Threads):
    ids = np.flatnonzero(~posts.first)
    kind = np.where(threads.question[posts.thread[ids]], ANSWER, REPLY)
    return _event_arrays(posts.author[ids], kind, ids, posts.thread[ids], posts.time[ids])


def _accept_events(rng, threads: _Threads, posts: _Posts):
    """40% of questions get an answer accepted, by the asker, within days of it.
    `threads.accepted` is set here (a post index, or -1)."""
    answers = np.flatnonzero(~posts.first & threads.question[posts.thread])
    shuffled = answers[rng.permutation(len(answers))]
    candidate_thread, first = np.unique(posts.thread[shuffled], return_index=True)
    chosen = shuffled[first]
    target = round(0.40 * threads.question.sum())
    keep = rng.permutation(len(chosen))[:target]
    chosen, thread = chosen[keep], candidate_thread[keep]
    span = HISTORY.total_seconds()
    when = np.minimum(posts.time[chosen] + rng.exponential(DAY, len(chosen)), span - 1)
    threads.accepted = np.full(len(threads.time), -1, np.int64)
    threads.accepted[thread] = chosen
    return _event_arrays(threads.author[thread], ACCEPT, chosen, thread, when)


def _course_events(courses: _Courses):
    n = len(courses.enrol_user)
    enrol = _event_arrays(courses.enrol_user, ENROLLED, courses.enrol_course,
                          np.zeros(n), courses.enrol_time)
    row, step = np.nonzero(~np.isnan(courses.lesson_time))
    course = courses.enrol_course[row]
    lesson = _event_arrays(courses.enrol_user[row], LESSON, course * courses.lessons + step,
                           course, courses.lesson_time[row, step])
    return {k: np.concatenate([enrol[k], lesson[k]]) for k in enrol}


def _session_events(rng, count: int, people, tags, threads: _Threads, posts: _Posts):
    """Sessions of about six events a minute or two apart, each opened by a login:
    views and votes mostly in the person's home tags, a few searches."""
    sessions = max(1, round(count / SESSION_LENGTH))
    length = 1 + rng.geometric(1 / (SESSION_LENGTH - 1), sessions)
    length = length[: np.searchsorted(np.cumsum(length), count) + 1]
    length[-1] -= length.sum() - count
    length = length[length > 0]
    user, start = _who_and_when(rng, people, len(length))
    user, start = np.repeat(user, length), np.repeat(start, length)
    opens = np.concatenate([[0], np.cumsum(length)[:-1]])
    gaps = rng.exponential(90, count)
    gaps[opens] = 0
    elapsed = np.cumsum(gaps)
    when = np.minimum(start + elapsed - np.repeat(elapsed[opens], length),
                      HISTORY.total_seconds() - 1)
    kinds = list(IN_SESSION)
    type_ = rng.choice(kinds, size=count, p=list(IN_SESSION.values()))
    type_[opens] = LOGIN
    subject = np.full(count, -1, np.int64)
    extra = np.zeros(count, np.int64)
    tag = _home_or_any(rng, people, tags, user, home=0.85)

    looks = np.flatnonzero((type_ == VIEW) | (type_ == VOTE))
    thread = _pick_threads(rng, threads, tag[looks], when[looks])
    when[looks] = np.minimum(np.maximum(when[looks], threads.time[thread] + 30),
                             HISTORY.total_seconds() - 1)
    subject[looks] = thread
    votes = looks[type_[looks] == VOTE]
    subject[votes] = _pick_posts(rng, posts, subject[votes], when[votes])
    extra[votes] = np.where(rng.random(len(votes)) < 0.88, 1, -1)
    searches = type_ == SEARCH
    extra[searches] = tag[searches]
    return _event_arrays(user, type_, subject, extra, when)


def _pick_posts(rng, posts: _Posts, thread: np.ndarray, when: np.ndarray) -> np.ndarray:
    """A post of each thread that existed at `when` (the opening post always did)."""
    low = np.searchsorted(posts.by_thread_key, thread * KEY)
    high = np.searchsorted(posts.by_thread_key, thread * KEY + when)
    pick = low + (rng.random(len(thread)) * np.maximum(high - low, 1)).astype(np.int64)
    return posts.by_thread_post[pick]


# --- writing rows ----------------------------------------------------------------------

def _datetimes(start: datetime, seconds: np.ndarray) -> list[datetime]:
    micros = (seconds * 1e6).astype("timedelta64[us]")
    return (np.datetime64(start, "us") + micros).tolist()


def _insert_users(connection, rng, people: _People, last_event, start) -> np.ndarray:
    """1% deleted (after their last event), 3% not personalised, 80% verified."""
    n = len(people.joined)
    span = HISTORY.total_seconds()
    seen = np.where(last_event >= 0, last_event, people.joined)
    deleted = rng.random(n) < 0.01
    gone = np.minimum(seen + rng.exponential(10 * DAY, n), span - 1)
    personal = rng.random(n) >= 0.03
    verified = rng.random(n) < 0.8
    joined, seen_at, gone_at = (_datetimes(start, a) for a in (people.joined, seen, gone))

    def rows():
        for i in range(n):
            yield {
                "id": i + 1, "username": f"user{i + 1}", "username_key": f"user{i + 1}",
                "email": f"user{i + 1}@bench.invalid", "password_hash": "!",
                "email_verified_at": joined[i] if verified[i] else None,
                "personalise": bool(personal[i]), "created_at": joined[i],
                "last_seen_at": seen_at[i], "deleted_at": gone_at[i] if deleted[i] else None,
            }

    insert_rows(connection, User.__table__, rows())
    return deleted


def _insert_courses(connection, courses: _Courses, tags: _Tags, start) -> None:
    created = start + timedelta(days=30)
    insert_rows(connection, Course.__table__, [
        {"id": c + 1, "title": f"{tags.names[t].capitalize()} in practice, part {c + 1}",
         "slug": f"{tags.names[t]}-{c + 1}", "summary": f"Hands-on {tags.names[t]}.",
         "member_only": bool(courses.member_only[c]), "published": bool(courses.published[c]),
         "position": c, "created_at": created, "updated_at": created}
        for c, t in enumerate(courses.tag)])
    insert_rows(connection, course_tags,
                [{"course_id": c + 1, "tag_id": int(t) + 1} for c, t in enumerate(courses.tag)])
    insert_rows(connection, Lesson.__table__, [
        {"id": c * courses.lessons + k + 1, "course_id": c + 1, "position": k,
         "title": f"Lesson {k + 1}", "slug": f"lesson-{k + 1}", "body": "Bench lesson.",
         "body_html": "<p>Bench lesson.</p>", "created_at": created, "updated_at": created}
        for c in range(len(courses.tag)) for k in range(courses.lessons)])


def _insert_threads(connection, rng, text_rng, threads: _Threads, posts: _Posts, events, tags,
                    start) -> None:
    """Counters agree with the posts and events; 2% of questions closed, 1% deleted,
    after their last activity. Accepted answers are set once the posts exist."""
    n = len(threads.time)
    span = HISTORY.total_seconds()
    answers = ~posts.first
    replies = np.bincount(posts.thread[answers], minlength=n)
    last_post = np.full(n, -1, np.int64)
    np.maximum.at(last_post, posts.thread, np.arange(len(posts.time)))  # ids follow time
    views = np.bincount(events["subject"][events["type"] == VIEW], minlength=n)
    ends = posts.time[last_post]
    shut = np.minimum(ends + rng.exponential(3 * DAY, n), span - 1)
    closed = threads.question & (rng.random(n) < 0.02)
    deleted = rng.random(n) < 0.01
    created, active_at, shut_at = (_datetimes(start, a) for a in (threads.time, ends, shut))

    def rows():
        for i in range(n):
            title = _title(text_rng, threads.tags[i], tags)
            yield {
                "id": i + 1, "kind": "question" if threads.question[i] else "discussion",
                "title": title, "slug": _slug(title), "author_id": int(threads.author[i]) + 1,
                "category_id": _category(bool(threads.question[i]), int(threads.tags[i, 0]), tags),
                "score": 0, "reply_count": int(replies[i]), "view_count": int(views[i]),
                "created_at": created[i], "last_activity_at": active_at[i],
                "last_activity_by_id": int(posts.author[last_post[i]]) + 1,
                "closed_at": shut_at[i] if closed[i] else None,
                "close_reason": "off-topic" if closed[i] else None,
                "deleted_at": shut_at[i] if deleted[i] else None,
            }

    insert_rows(connection, Thread.__table__, rows())
    insert_rows(connection, thread_tags, _links(threads))


def _links(threads: _Threads):
    thread, slot = np.nonzero(threads.tags >= 0)
    for t, g in zip(thread.tolist(), threads.tags[thread, slot].tolist(), strict=True):
        yield {"thread_id": t + 1, "tag_id": g + 1}


def _category(question: bool, tag: int, tags: _Tags) -> int:
    """Members' lounge for a few tags, discussions and show-and-tell, then questions in
    Data science, Web or the general category by their first tag's family."""
    if tag % 97 == 96:
        return 6
    if not question:
        return 5 if tag % 5 == 0 else 2
    family = int(tags.family[tag])
    return 3 if family in DATA_FAMILIES else 4 if family in WEB_FAMILIES else 1


def _title(rng: random.Random, tag_row: np.ndarray, tags: _Tags) -> str:
    tag = int(tag_row[0])
    words = FAMILIES[int(tags.family[tag])][0].split()
    return rng.choice(TITLES).format(
        verb=rng.choice(VERBS), a=rng.choice(words), b=rng.choice(words),
        tag=tags.names[tag], outcome=rng.choice(OUTCOMES))


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:80]


def _insert_posts(connection, text_rng, posts: _Posts, threads: _Threads, tags, start) -> None:
    """Bodies mix the thread's tag names and family words with common words; scores
    are set from the vote events afterwards."""
    bags = [name.split("-") + FAMILIES[int(f)][0].split()
            for name, f in zip(tags.names, tags.family, strict=True)]
    created = _datetimes(start, posts.time)

    def rows():
        for i in range(len(posts.time)):
            thread = int(posts.thread[i])
            row = threads.tags[thread]
            topical = [w for t in row[row >= 0] for w in bags[t]]
            words = text_rng.choices(topical, k=text_rng.randint(6, 16)) + text_rng.choices(
                GENERAL, k=text_rng.randint(4, 12))
            text_rng.shuffle(words)
            body = " ".join(words).capitalize() + "."
            yield {"id": i + 1, "thread_id": thread + 1, "author_id": int(posts.author[i]) + 1,
                   "is_first": bool(posts.first[i]), "body": body, "body_html": f"<p>{body}</p>",
                   "score": 0, "revision_count": 1, "created_at": created[i]}

    insert_rows(connection, Post.__table__, rows())


def _set_thread_post_refs(connection, threads: _Threads, posts: _Posts, events) -> None:
    """Post scores from the vote events, a question's score from its opening post, and
    accepted answers (threads and posts point at each other, so this comes last)."""
    votes = events["type"] == VOTE
    score = np.zeros(len(posts.time), np.int64)
    np.add.at(score, events["subject"][votes], events["extra"][votes])
    voted = np.flatnonzero(score)
    post = Post.__table__
    for chunk in range(0, len(voted), BATCH):
        ids = voted[chunk:chunk + BATCH]
        connection.execute(
            post.update().where(post.c.id == bindparam("pid")).values(score=bindparam("s")),
            [{"pid": int(i) + 1, "s": int(score[i])} for i in ids])
    thread = Thread.__table__
    first = np.flatnonzero(posts.first)
    rows = []
    for p in first:
        accepted = int(threads.accepted[posts.thread[p]])
        if score[p] or accepted >= 0:
            rows.append({"tid": int(posts.thread[p]) + 1, "s": int(score[p]),
                         "a": accepted + 1 if accepted >= 0 else None})
    for chunk in range(0, len(rows), BATCH):
        connection.execute(
            thread.update().where(thread.c.id == bindparam("tid"))
            .values(score=bindparam("s"), accepted_post_id=bindparam("a")),
            rows[chunk:chunk + BATCH])


def _insert_enrollments(connection, courses: _Courses, start) -> None:
    enrolled = _datetimes(start, courses.enrol_time)
    lessons = courses.lessons
    finished = _datetimes(start, np.nan_to_num(courses.lesson_time[:, lessons - 1]))

    def enrollments():
        for i, user in enumerate(courses.enrol_user.tolist()):
            done = int(courses.done[i])
            course = int(courses.enrol_course[i])
            yield {"id": i + 1, "user_id": user + 1, "course_id": course + 1,
                   "enrolled_at": enrolled[i],
                   "completed_at": finished[i] if done == lessons else None,
                   "last_lesson_id": course * lessons + done if done else None}

    def progress():
        row, step = np.nonzero(~np.isnan(courses.lesson_time))
        at = _datetimes(start, courses.lesson_time[row, step])
        for n, (r, s) in enumerate(zip(row.tolist(), step.tolist(), strict=True)):
            yield {"id": n + 1, "user_id": int(courses.enrol_user[r]) + 1,
                   "lesson_id": int(courses.enrol_course[r]) * lessons + s + 1,
                   "completed_at": at[n]}

    insert_rows(connection, Enrollment.__table__, enrollments())
    insert_rows(connection, LessonProgress.__table__, progress())


def _insert_events(connection, text_rng, events, tags: _Tags, start) -> None:
    subjects = {VIEW: "thread", ASK: "thread", ANSWER: "post", REPLY: "post", VOTE: "post",
                ACCEPT: "post", ENROLLED: "course", LESSON: "lesson"}
    kinds = {1: "question", 0: "discussion"}

    def data(type_: int, extra: int) -> dict:
        if type_ == VOTE:
            return {"value": extra, "previous": 0}
        if type_ in (ANSWER, REPLY):
            return {"thread_id": extra + 1, "reply_to": None}
        if type_ == ASK:
            return {"kind": kinds[extra]}
        if type_ == ACCEPT:
            return {"thread_id": extra + 1, "previous": None}
        if type_ == LESSON:
            return {"course_id": extra + 1}
        if type_ == SEARCH:
            q = f"{tags.names[extra]} {text_rng.choice(GENERAL)}"
            return {"q": q, "results": text_rng.randint(0, 400)}
        return {}

    def rows():
        total = len(events["time"])
        for low in range(0, total, BATCH):
            high = min(low + BATCH, total)
            at = _datetimes(start, events["time"][low:high])
            users = events["user"][low:high].tolist()
            types = events["type"][low:high].tolist()
            subject = events["subject"][low:high].tolist()
            extra = events["extra"][low:high].tolist()
            for k in range(high - low):
                t = types[k]
                yield {"id": low + k + 1, "user_id": users[k] + 1, "type": EVENT_TYPES[t],
                       "subject_type": subjects.get(t),
                       "subject_id": subject[k] + 1 if t in subjects else None,
                       "data": data(t, extra[k]), "created_at": at[k]}

    insert_rows(connection, Event.__table__, rows())


# --- command line ----------------------------------------------------------------------

def _size_of(connection: Connection, url: str) -> int:
    if connection.dialect.name == "postgresql":
        return connection.scalar(text("SELECT pg_database_size(current_database())"))
    return Path(make_url(url).database).stat().st_size


def main(argv: list[str] | None = None) -> int:
    from app import create_app
    from app.extensions import db
    from app.timeutil import utcnow

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a scratch database")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 users")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = Sizes().scaled(args.scale) if args.scale != 1.0 else Sizes()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "MAIL_SERVER": "", "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
        if inspect(engine).has_table("thread"):
            print(f"error: {make_url(args.database_url).render_as_string()} already has "
                  "Guildhall tables; use a scratch database.", file=sys.stderr)
            return 1
        db.create_all()
        started = time.perf_counter()
        with engine.begin() as connection:
            made = generate(connection, sizes, now=utcnow(), seed=args.seed)
        seconds = time.perf_counter() - started
        with engine.connect() as connection:
            size = _size_of(connection, args.database_url)
        engine.dispose()
    print(f"{engine.dialect.name}: {made.users:,} users, {made.threads:,} threads, "
          f"{made.posts:,} posts, {made.events:,} events, {made.tags} tags, {made.courses} "
          f"courses, {made.active_users:,} active in the last 30 days")
    print("events: " + ", ".join(f"{k} {v:,}" for k, v in made.event_types.items()))
    print(f"generated in {seconds:.0f}s; database {size / 2**20:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
