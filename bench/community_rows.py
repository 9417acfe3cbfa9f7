"""Writing the drawn community into the tables, 20,000 rows at a time.

Text (titles, post bodies, search queries) is drawn here with its own generator, from
the same seed.
"""

import random
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import bindparam

from app.accounts.models import User
from app.courses.models import Course, Enrollment, Lesson, LessonProgress, course_tags
from app.forum.models import Category, Post, Tag, Thread, thread_tags
from app.insights.models import Event
from bench.bulk import BATCH, insert_rows
from bench.community_draw import (
    ACCEPT,
    ANSWER,
    ASK,
    DAY,
    ENROLLED,
    EVENT_TYPES,
    HISTORY,
    LESSON,
    REPLY,
    SEARCH,
    VIEW,
    VOTE,
    Community,
    Courses,
    People,
    Posts,
    Tags,
    Threads,
)
from bench.community_words import FAMILIES, GENERAL, OUTCOMES, TITLES, VERBS

DATA_FAMILIES = {0, 1, 2, 16, 17, 18, 19, 22, 24}  # see community_words.FAMILIES
WEB_FAMILIES = {4, 5, 6}
CATEGORIES = (("Questions", "questions", False), ("Discussions", "discussions", False),
              ("Data science", "data-science", False), ("Web", "web", False),
              ("Show and tell", "show-and-tell", False), ("Members", "members", True))


def write(connection, community: Community, *, start: datetime, seed: int) -> np.ndarray:
    """Insert every table's rows; returns which people were deleted."""
    rng = np.random.default_rng([seed, 1])
    text_rng = random.Random(seed)
    tags, threads, posts, events = (community.tags, community.threads, community.posts,
                                    community.events)
    insert_rows(connection, Category.__table__, [
        {"id": n, "name": name, "slug": slug, "position": n, "member_only": members,
         "created_at": start} for n, (name, slug, members) in enumerate(CATEGORIES, 1)])
    insert_rows(connection, Tag.__table__, [
        {"id": n, "name": name, "created_at": start} for n, name in enumerate(tags.names, 1)])
    deleted = _insert_users(connection, rng, community.people, community.last_event, start)
    _insert_courses(connection, community.courses, tags, start)
    _insert_threads(connection, rng, text_rng, threads, posts, events, tags, start)
    _insert_posts(connection, text_rng, posts, threads, tags, start)
    _set_thread_post_refs(connection, threads, posts, events)
    _insert_enrollments(connection, community.courses, start)
    _insert_events(connection, text_rng, events, tags, start)
    return deleted


def _datetimes(start: datetime, seconds: np.ndarray) -> list[datetime]:
    micros = (seconds * 1e6).astype("timedelta64[us]")
    return (np.datetime64(start, "us") + micros).tolist()


def _insert_users(connection, rng, people: People, last_event, start) -> np.ndarray:
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


def _insert_courses(connection, courses: Courses, tags: Tags, start) -> None:
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


def _insert_threads(connection, rng, text_rng, threads: Threads, posts: Posts, events, tags,
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


def _links(threads: Threads):
    thread, slot = np.nonzero(threads.tags >= 0)
    for t, g in zip(thread.tolist(), threads.tags[thread, slot].tolist(), strict=True):
        yield {"thread_id": t + 1, "tag_id": g + 1}


def _category(question: bool, tag: int, tags: Tags) -> int:
    """Members' lounge for a few tags, discussions and show-and-tell, then questions in
    Data science, Web or the general category by their first tag's family."""
    if tag % 97 == 96:
        return 6
    if not question:
        return 5 if tag % 5 == 0 else 2
    family = int(tags.family[tag])
    return 3 if family in DATA_FAMILIES else 4 if family in WEB_FAMILIES else 1


def _title(rng: random.Random, tag_row: np.ndarray, tags: Tags) -> str:
    tag = int(tag_row[0])
    words = FAMILIES[int(tags.family[tag])][0].split()
    return rng.choice(TITLES).format(
        verb=rng.choice(VERBS), a=rng.choice(words), b=rng.choice(words),
        tag=tags.names[tag], outcome=rng.choice(OUTCOMES))


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:80]


def _insert_posts(connection, text_rng, posts: Posts, threads: Threads, tags, start) -> None:
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


def _set_thread_post_refs(connection, threads: Threads, posts: Posts, events) -> None:
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


def _insert_enrollments(connection, courses: Courses, start) -> None:
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


def _insert_events(connection, text_rng, events, tags: Tags, start) -> None:
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
