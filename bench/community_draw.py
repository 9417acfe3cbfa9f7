"""Drawing the benchmark community: numpy arrays from one seed, no database.

Indexes are 0-based here (a row's id is its index + 1). Threads, posts and events are
in time order, so ids follow time as they do on a live site. Times are seconds since
the start of the two years of history.
"""

from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np

from bench.community_words import FAMILIES, tag_families

HISTORY = timedelta(days=730)
DAY = 86_400.0
KEY = 1e8  # seconds of history stay below this, so `group * KEY + seconds` sorts by both
EVENT_TYPES = ("login", "view", "vote", "search", "ask", "answer", "reply", "accept",
               "course_enrolled", "lesson_completed")
LOGIN, VIEW, VOTE, SEARCH, ASK, ANSWER, REPLY, ACCEPT, ENROLLED, LESSON = range(10)
SESSION_LENGTH = 6.0  # events per session, its login included: logins are about 1/6
IN_SESSION = {VIEW: 0.72, VOTE: 0.21, SEARCH: 0.07}


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


@dataclass
class People:
    joined: np.ndarray  # seconds since the start of history, in id order
    first: np.ndarray  # the active window
    last: np.ndarray
    weight: np.ndarray
    home: np.ndarray  # (users, 3) tag indexes; one or two home tags repeat


@dataclass
class Tags:
    names: list[str]
    family: np.ndarray
    popularity: np.ndarray  # sums to 1
    family_start: np.ndarray
    family_size: np.ndarray


@dataclass
class Threads:
    time: np.ndarray  # in id order: ids follow creation time
    author: np.ndarray  # user indexes (id - 1)
    question: np.ndarray
    tags: np.ndarray  # (threads, 4), -1 where unused
    by_tag_key: np.ndarray  # tag * KEY + time for each (thread, tag), sorted
    by_tag_thread: np.ndarray
    tag_start: np.ndarray
    accepted: np.ndarray | None = None  # a post index or -1, set with the accept events


@dataclass
class Posts:
    time: np.ndarray  # in id order
    thread: np.ndarray
    author: np.ndarray
    first: np.ndarray
    by_thread_key: np.ndarray  # thread * KEY + time, sorted
    by_thread_post: np.ndarray


@dataclass
class Courses:
    tag: np.ndarray
    member_only: np.ndarray
    published: np.ndarray
    lessons: int
    enrol_user: np.ndarray
    enrol_course: np.ndarray
    enrol_time: np.ndarray
    done: np.ndarray  # lessons completed, in order, per enrollment
    lesson_time: np.ndarray  # (enrollments, lessons), nan where not done


@dataclass
class Community:
    tags: Tags
    people: People
    threads: Threads
    posts: Posts
    courses: Courses
    events: dict[str, np.ndarray]  # user, type, subject, extra, time; sorted by time
    last_event: np.ndarray  # each person's, or -1


def draw(sizes: Sizes, *, seed: int) -> Community:
    """The whole community; raises ValueError for sizes that cannot agree."""
    if sizes.posts < sizes.threads or sizes.events < 2 * sizes.posts:
        raise ValueError("need posts >= threads and events >= 2 * posts")
    rng = np.random.default_rng(seed)
    tags = _tags(sizes.tags)
    people = _people(rng, sizes.users, tags)
    threads = _threads(rng, sizes.threads, people, tags)
    posts = _posts(rng, sizes.posts - sizes.threads, threads, people, tags)
    courses = _courses(rng, sizes, tags)
    events = _events(rng, sizes.events, people, tags, threads, posts, courses)
    last_event = np.full(sizes.users, -1.0)
    np.maximum.at(last_event, events["user"], events["time"])
    return Community(tags, people, threads, posts, courses, events, last_event)


def _tags(count: int) -> Tags:
    """Popularity is Zipf-like: a family's weight over its rank, times 1 / position."""
    pairs = tag_families(count)
    family = np.array([f for _, f in pairs])
    position = np.concatenate([np.arange(n) for n in np.bincount(family)])
    popularity = 1.0 / ((family + 1) ** 0.8 * (position + 1))
    sizes = np.bincount(family, minlength=len(FAMILIES))
    return Tags(names=[n for n, _ in pairs], family=family,
                 popularity=popularity / popularity.sum(),
                 family_start=np.concatenate([[0], np.cumsum(sizes)[:-1]]), family_size=sizes)


def _zipf_tags(rng, tags: Tags, n: int) -> np.ndarray:
    return rng.choice(len(tags.names), size=n, p=tags.popularity)


def _family_tags(rng, tags: Tags, of: np.ndarray, *, same: float) -> np.ndarray:
    """A tag of the same family as each of `of` (the popular ones more often) with
    probability `same`, else any tag by popularity."""
    family = tags.family[of]
    member = tags.family_start[family] + (tags.family_size[family] * rng.random(len(of)) ** 2
                                          ).astype(np.int64)
    return np.where(rng.random(len(of)) < same, member, _zipf_tags(rng, tags, len(of)))


def _people(rng, users: int, tags: Tags) -> People:
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
    return People(joined=joined, first=first, last=last, weight=weight, home=home)


def _who_and_when(rng, people: People, n: int, *, power: float = 1.0):
    """`n` acts: who (by weight ** power) and when (within their active window)."""
    p = people.weight ** power
    user = rng.choice(len(p), size=n, p=p / p.sum())
    when = people.first[user] + (people.last[user] - people.first[user]) * rng.random(n)
    return user, when


def _home_or_any(rng, people: People, tags: Tags, user: np.ndarray, *, home: float):
    pick = people.home[user, rng.integers(0, 3, len(user))]
    return np.where(rng.random(len(user)) < home, pick, _zipf_tags(rng, tags, len(user)))


def _threads(rng, count: int, people: People, tags: Tags) -> Threads:
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
    return Threads(
        time=when, author=author, question=rng.random(count) < 0.85, tags=tag,
        by_tag_key=key[order], by_tag_thread=thread[order],
        tag_start=np.searchsorted(key[order], np.arange(len(tags.names)) * KEY),
    )


def _pick_threads(rng, threads: Threads, tag: np.ndarray, when: np.ndarray) -> np.ndarray:
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


def _posts(rng, answers: int, threads: Threads, people: People, tags: Tags) -> Posts:
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
    return Posts(
        time=time_[order], thread=thread_of,
        author=np.concatenate([threads.author, author])[order], first=order < count,
        by_thread_key=key[by_thread], by_thread_post=by_thread,
    )


def _courses(rng, sizes: Sizes, tags: Tags) -> Courses:
    """Courses on popular tags; learners pick one in their tag family when there is one.
    Enrollments carry about 5% of the events with their lesson completions."""
    course_tag = np.unique(_zipf_tags(rng, tags, sizes.courses * 3))[: sizes.courses]
    course_tag = np.resize(course_tag, sizes.courses)
    published = np.ones(sizes.courses, dtype=bool)
    published[-max(1, sizes.courses // 12):] = False
    return Courses(tag=course_tag, member_only=rng.random(sizes.courses) < 0.25,
                    published=published, lessons=sizes.lessons_per_course,
                    enrol_user=np.empty(0, np.int64), enrol_course=np.empty(0, np.int64),
                    enrol_time=np.empty(0), done=np.empty(0, np.int64),
                    lesson_time=np.empty((0, sizes.lessons_per_course)))


def _enrol(rng, courses: Courses, people: People, tags: Tags, budget: int) -> None:
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


def _ask_events(threads: Threads):
    n = len(threads.time)
    return _event_arrays(threads.author, ASK, np.arange(n), threads.question, threads.time)


def _answer_events(posts: Posts, threads: Threads):
    ids = np.flatnonzero(~posts.first)
    kind = np.where(threads.question[posts.thread[ids]], ANSWER, REPLY)
    return _event_arrays(posts.author[ids], kind, ids, posts.thread[ids], posts.time[ids])


def _accept_events(rng, threads: Threads, posts: Posts):
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


def _course_events(courses: Courses):
    n = len(courses.enrol_user)
    enrol = _event_arrays(courses.enrol_user, ENROLLED, courses.enrol_course,
                          np.zeros(n), courses.enrol_time)
    row, step = np.nonzero(~np.isnan(courses.lesson_time))
    course = courses.enrol_course[row]
    lesson = _event_arrays(courses.enrol_user[row], LESSON, course * courses.lessons + step,
                           course, courses.lesson_time[row, step])
    return {k: np.concatenate([enrol[k], lesson[k]]) for k in enrol}


def _session_events(rng, count: int, people, tags, threads: Threads, posts: Posts):
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


def _pick_posts(rng, posts: Posts, thread: np.ndarray, when: np.ndarray) -> np.ndarray:
    """A post of each thread that existed at `when` (the opening post always did)."""
    low = np.searchsorted(posts.by_thread_key, thread * KEY)
    high = np.searchsorted(posts.by_thread_key, thread * KEY + when)
    pick = low + (rng.random(len(thread)) * np.maximum(high - low, 1)).astype(np.int64)
    return posts.by_thread_post[pick]
