"""Plan a demo community as plain values: who joined when, who asked, answered and voted.

Pure: no Flask and no database. The same size, seed and clock give the same plan, so a
test can compare two plans, and `demo.py` only turns a plan into rows. Everything
happens in the year before `now`, in causal order: people act only between joining and
drifting away, answers follow their question, votes and edits follow their post.
"""

import math
import random
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.forum.slugs import slugify
from app.seed import content
from app.seed.topics import DISCUSSIONS, GENERIC_REPLIES, QUESTIONS

YEAR = timedelta(days=365)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)

QUESTION_SHARE = 0.75
ANSWER_COUNT_WEIGHTS = (12, 30, 25, 15, 9, 6, 3)  # 0..6 answers; some questions stay open
ACCEPT_SHARE = 0.5
EDIT_SHARE = 0.08
DELETE_SHARE = 0.03
CHURN_SHARE = 0.3
LURKER_SHARE = 0.25
# Mean votes by (thread kind, is the opening post): answers draw the most votes.
VOTES_PER_POST = {
    ("question", True): 2.0,
    ("question", False): 3.0,
    ("discussion", True): 2.5,
    ("discussion", False): 0.8,
}

_FENCE_WITH_LANGUAGE = re.compile(r"^```[a-z]+$", re.MULTILINE)


@dataclass
class UserPlan:
    username: str
    display_name: str
    role: str
    bio: str
    timezone: str
    email_digest: bool
    created_at: datetime
    verified_at: datetime
    active_until: datetime  # people who drift away stop acting after this
    activity: float  # relative weight when choosing who acts
    logins: list[datetime] = field(default_factory=list)


@dataclass
class VotePlan:
    voter: int
    value: int
    at: datetime


@dataclass
class EditPlan:
    """A second revision: the post's text was `original` before, and `body` after."""

    editor: int
    reason: str
    at: datetime


@dataclass
class PostPlan:
    author: int
    body: str  # the current text
    created_at: datetime
    is_first: bool
    quality: float  # latent; drives votes and acceptance
    original: str = ""  # revision 1; equals body unless edited
    reply_to: int | None = None  # index in the thread's posts
    votes: list[VotePlan] = field(default_factory=list)
    edit: EditPlan | None = None
    deleted_at: datetime | None = None
    deleted_by: int | None = None

    @property
    def score(self) -> int:
        return sum(vote.value for vote in self.votes)


@dataclass
class ThreadPlan:
    kind: str
    title: str
    slug: str
    category: str
    tags: tuple[str, ...]
    created_at: datetime
    posts: list[PostPlan]
    accepted: int | None = None  # index in posts
    accepted_at: datetime | None = None
    view_count: int = 0
    views: list[tuple[int | None, datetime]] = field(default_factory=list)

    @property
    def author(self) -> int:
        return self.posts[0].author


@dataclass
class DemoPlan:
    users: list[UserPlan]
    threads: list[ThreadPlan]


def plan_demo(*, users: int, threads: int, seed: int, now: datetime) -> DemoPlan:
    """A community of `users` people (the first three are staff) and `threads` threads."""
    if users < 3:
        raise ValueError("the demo needs at least 3 users: an admin and two moderators")
    return _Planner(random.Random(seed), now).plan(users, threads)


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"«{name}»", value)
    return text


class _Planner:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.start = now - YEAR
        self.users: list[UserPlan] = []
        self.joined: list[datetime] = []
        self.staff: list[int] = []
        self.titles: set[str] = set()

    def plan(self, user_count: int, thread_count: int) -> DemoPlan:
        self._plan_users(user_count)
        times = sorted(self._thread_time() for _ in range(thread_count))
        threads = [self._plan_thread(at) for at in times]
        for index, user in enumerate(self.users):
            user.logins = self._logins(index)
        return DemoPlan(users=self.users, threads=threads)

    # People

    def _plan_users(self, count: int) -> None:
        rng, taken = self.rng, {"admin"}
        drafts = [("admin", "Guildhall Admin", "admin", self.start - 30 * DAY, 0.8)]
        for _ in range(2):
            username, display = self._name(taken, staff=True)
            joined = self.start + rng.uniform(1, 25) * DAY
            drafts.append((username, display, "moderator", joined, 5.0))
        for _ in range(count - 3):
            username, display = self._name(taken)
            joined = self.start + YEAR * rng.random() ** 0.9
            joined = min(joined, self.now - timedelta(hours=2))
            activity = 0.15 if rng.random() < LURKER_SHARE else min(rng.paretovariate(1.3), 15.0)
            drafts.append((username, display, "member", joined, activity))
        drafts.sort(key=lambda d: d[3])
        for username, display, role, joined, activity in drafts:
            active_until = self.now
            if role == "member" and rng.random() < CHURN_SHARE:
                active_until = joined + (self.now - joined) * rng.uniform(0.05, 0.7)
            if role != "member":
                self.staff.append(len(self.users))
            self.users.append(
                UserPlan(
                    username=username,
                    display_name=display,
                    role=role,
                    bio=self._bio(),
                    timezone=rng.choice(content.TIMEZONES),
                    email_digest=rng.random() < 0.3,
                    created_at=joined,
                    verified_at=self._after(joined, MINUTE, DAY) or joined,
                    active_until=active_until,
                    activity=activity,
                )
            )
            self.joined.append(joined)

    def _name(self, taken: set[str], *, staff: bool = False) -> tuple[str, str]:
        """A unique username and a display name; staff always show their full name."""
        rng = self.rng
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        f, la = first.lower(), last.lower()
        patterns = (f"{f}{la}", f"{f}_{la}", f"{f[0]}{la}", f"{f}{rng.randint(1, 99)}",
                    f"{la}_{f[0]}", f"{f}{la[0]}", f"{f}-codes", f"{f}_dev")
        username = rng.choices(patterns, weights=(5, 5, 4, 4, 2, 3, 1, 1))[0]
        base, n = username, 2
        while username in taken:
            username, n = f"{base}{n}", n + 1
        taken.add(username)
        if staff:
            return username, f"{first} {last}"
        return username, rng.choice((f"{first} {last}", f"{first} {last[0]}.", first, ""))

    def _bio(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return ""
        role, place = rng.choice(content.BIO_ROLES), rng.choice(content.BIO_PLACES)
        interests = ", ".join(rng.sample(content.BIO_INTERESTS, rng.randint(2, 4)))
        line = fill(rng.choice(content.BIO_LINES), {"track": rng.choice(content.BIO_TRACKS)})
        return f"**{role}** in {place}.\n\n- Into: {interests}\n- {line}"

    def _logins(self, index: int) -> list[datetime]:
        user, rng = self.users[index], self.rng
        span = user.active_until - user.created_at
        extra = int(user.activity * 4 * (span / YEAR)) + rng.randint(0, 3)
        times = [user.created_at + MINUTE]
        times += sorted(user.created_at + span * rng.random() for _ in range(extra))
        return times

    def _active(self, user: int, at: datetime) -> bool:
        return self.users[user].created_at <= at <= self.users[user].active_until

    def _staff_at(self, at: datetime) -> int:
        """A moderator or the admin who was already there (the admin always was)."""
        return self.rng.choice([i for i in self.staff if self.users[i].created_at <= at])

    def _pick(self, at: datetime, exclude=()) -> int | None:
        """Someone who had joined and not yet drifted away at `at`, the active more often."""
        joined = bisect_right(self.joined, at)
        candidates = [
            i for i in range(joined) if self.users[i].active_until >= at and i not in exclude
        ]
        if not candidates:
            return None
        weights = [self.users[i].activity for i in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    # Threads

    def _thread_time(self) -> datetime:
        at = self.start + DAY + (YEAR - DAY) * self.rng.random() ** 0.75
        return min(at, self.now - timedelta(minutes=15))

    def _plan_thread(self, at: datetime) -> ThreadPlan:
        rng = self.rng
        is_question = rng.random() < QUESTION_SHARE
        topic, values, title = self._choose_topic(is_question)
        lounge = topic.category == "members-lounge"  # staff host the lounge's threads
        author = self._staff_at(at) if lounge else self._pick(at)
        body = self._question_body(topic, values) if is_question else fill(topic.body, values)
        first = PostPlan(author=author, body=body, created_at=at, is_first=True,
                         quality=rng.gauss(0.3, 0.8))
        thread = ThreadPlan(
            kind="question" if is_question else "discussion",
            title=title,
            slug=slugify(title),
            category=topic.category,
            tags=topic.tags,
            created_at=at,
            posts=[first],
        )
        if is_question:
            self._add_answers(thread, topic, values)
            self._accept(thread)
        else:
            self._add_replies(thread, topic, values)
        for post in thread.posts:
            self._add_votes(post, mean=VOTES_PER_POST[thread.kind, post.is_first])
            self._maybe_edit(thread, post)
            self._maybe_delete(thread, post)
            post.original = post.original or post.body
        self._add_views(thread)
        return thread

    def _choose_topic(self, is_question: bool):
        """A topic, its slot values and a title not used yet.

        Fresh combinations come first; once the corpus runs dry (large runs), a title is
        re-framed the way people re-ask ("Still stuck: ..."), and numbered as a last resort.
        """
        rng = self.rng
        topics = QUESTIONS if is_question else DISCUSSIONS
        for _ in range(30):
            topic = rng.choice(topics)
            values = {}
            for names, choices in topic.slots.items():
                values.update(zip(names.split("|"), rng.choice(choices).split("|"), strict=True))
            title = fill(rng.choice(topic.titles), values)
            if title not in self.titles:
                break
        frames = content.QUESTION_TITLE_FRAMES if is_question else content.DISCUSSION_TITLE_FRAMES
        candidates = [frame.format(title) for frame in rng.sample(frames, len(frames))]
        candidates.append(f"{title} ({len(self.titles) + 1})")
        title = next(t for t in [title, *candidates] if t not in self.titles)
        self.titles.add(title)
        return topic, values, title

    def _question_body(self, topic, values: dict[str, str]) -> str:
        rng = self.rng
        parts = [rng.choice(content.QUESTION_OPENERS), fill(topic.problem, values)]
        if topic.tried:
            tried = rng.sample(topic.tried, rng.randint(1, len(topic.tried)))
            parts.append("**What I tried**\n\n" + "\n".join(f"- {fill(t, values)}" for t in tried))
        setups = [content.ENVIRONMENTS[t] for t in topic.tags if t in content.ENVIRONMENTS]
        parts.append(rng.choice(setups[0]) if setups else "")
        parts.append(rng.choice(content.QUESTION_CLOSERS))
        return "\n\n".join(p for p in parts if p)

    def _add_answers(self, thread: ThreadPlan, topic, values: dict[str, str]) -> None:
        rng = self.rng
        wanted = rng.choices(range(len(ANSWER_COUNT_WEIGHTS)), weights=ANSWER_COUNT_WEIGHTS)[0]
        specific = list(topic.answers)
        rng.shuffle(specific)
        generic = rng.sample(content.GENERIC_ANSWERS, 3)
        drafts = [(fill(a, values), rng.gauss(0.8 - 0.3 * i, 0.6)) for i, a in enumerate(specific)]
        drafts += [(a, rng.gauss(-0.6, 0.5)) for a in generic]
        answerers = {thread.author}
        for body, quality in drafts[:wanted]:
            at = self._after(thread.created_at, 4 * MINUTE, 14 * DAY)
            author = self._pick(at, exclude=answerers) if at else None
            if author is None:
                continue
            answerers.add(author)
            if rng.random() < 0.15:
                body = f"{rng.choice(content.ANSWER_LEADS)}\n\n{body}"
            thread.posts.append(PostPlan(author=author, body=body, created_at=at,
                                         is_first=False, quality=quality))
        thread.posts.sort(key=lambda p: p.created_at)

    def _add_replies(self, thread: ThreadPlan, topic, values: dict[str, str]) -> None:
        rng = self.rng
        pool = [fill(r, values) for r in topic.replies]
        rng.shuffle(pool)
        pool += rng.sample(GENERIC_REPLIES, 3)
        at = thread.created_at
        for body in pool[: rng.randint(0, len(pool))]:
            at = self._after(at, 3 * MINUTE, 3 * DAY)
            author = self._pick(at, exclude={thread.posts[-1].author}) if at else None
            if author is None:
                break
            reply_to = None
            if len(thread.posts) > 2 and rng.random() < 0.3:
                reply_to = rng.randrange(1, len(thread.posts))
            thread.posts.append(PostPlan(author=author, body=body, created_at=at, is_first=False,
                                         quality=rng.gauss(0, 0.8), reply_to=reply_to))

    def _accept(self, thread: ThreadPlan) -> None:
        """The asker accepts about half the time, usually a good answer, not always the best."""
        answers = list(range(1, len(thread.posts)))
        if not answers or self.rng.random() >= ACCEPT_SHARE:
            return
        weights = [math.exp(1.2 * thread.posts[i].quality) for i in answers]
        chosen = self.rng.choices(answers, weights=weights)[0]
        at = self._after(thread.posts[chosen].created_at, 10 * MINUTE, 4 * DAY)
        if at is not None and self._active(thread.author, at):
            thread.accepted, thread.accepted_at = chosen, at

    def _add_votes(self, post: PostPlan, *, mean: float) -> None:
        """Mostly upvotes; weak posts draw downvotes; young posts have had less time."""
        rng = self.rng
        age_days = (self.now - post.created_at) / DAY
        mean = mean * math.exp(0.6 * post.quality) * min(1.0, 0.2 + age_days / 3)
        voted = {post.author}
        for _ in range(min(int(rng.expovariate(1 / mean) + 0.5), 30)):
            at = self._after(post.created_at, 2 * MINUTE, 30 * DAY)
            voter = self._pick(at, exclude=voted) if at else None
            if voter is None:
                continue
            voted.add(voter)
            up = 0.95 if post.quality > -0.3 else 0.55
            post.votes.append(VotePlan(voter=voter, value=1 if rng.random() < up else -1, at=at))
        post.votes.sort(key=lambda v: v.at)

    def _maybe_edit(self, thread: ThreadPlan, post: PostPlan) -> None:
        """Authors add details or a 'solved' note; staff add a missing code-block language."""
        rng = self.rng
        if rng.random() >= EDIT_SHARE:
            return
        fence = _FENCE_WITH_LANGUAGE.search(post.body)
        if fence and rng.random() < 0.25:
            at = self._after(post.created_at, 5 * MINUTE, 3 * DAY)
            if at is None:
                return
            post.original = post.body[: fence.start()] + "```" + post.body[fence.end() :]
            editor = self._staff_at(at)
            post.edit = EditPlan(editor=editor, reason=content.STAFF_EDIT_REASON, at=at)
            return
        since = post.created_at
        if thread.kind == "discussion":
            note = rng.choice(content.DISCUSSION_EDIT_NOTES)
        elif not post.is_first:
            note = rng.choice(content.ANSWER_EDIT_NOTES)
        elif thread.accepted_at is not None:
            note, since = content.EDIT_NOTES[0], thread.accepted_at
        else:
            note = rng.choice(content.EDIT_NOTES[1:])
        at = self._after(since, 5 * MINUTE, 3 * DAY)
        if at is None or not self._active(post.author, at):
            return
        post.original = post.body
        post.body = f"{post.body}\n\n{note}"
        reason = rng.choice(content.AUTHOR_EDIT_REASONS)
        post.edit = EditPlan(editor=post.author, reason=reason, at=at)

    def _maybe_delete(self, thread: ThreadPlan, post: PostPlan) -> None:
        """A few answers and replies are withdrawn by their author or removed by staff."""
        rng = self.rng
        accepted = thread.posts[thread.accepted] if thread.accepted is not None else None
        if post.is_first or post is accepted or rng.random() >= DELETE_SHARE:
            return
        moments = [post.created_at, *(v.at for v in post.votes)]
        if post.edit:
            moments.append(post.edit.at)
        at = self._after(max(moments), 10 * MINUTE, 2 * DAY)
        if at is None:
            return
        by_author = rng.random() < 0.6 and self._active(post.author, at)
        post.deleted_at = at
        post.deleted_by = post.author if by_author else self._staff_at(at)

    def _add_views(self, thread: ThreadPlan) -> None:
        rng = self.rng
        people = {p.author for p in thread.posts} | {v.voter for p in thread.posts for v in p.votes}
        age_days = (self.now - thread.created_at) / DAY
        popularity = 1 + 0.15 * max(thread.posts[0].score, 0)
        thread.view_count = (
            len(people) + rng.randint(3, 25) + int(age_days * rng.uniform(0.3, 2.5) * popularity)
        )
        for _ in range(min(rng.randint(1, 5), thread.view_count)):
            at = thread.created_at + (self.now - thread.created_at) * rng.random()
            viewer = self._pick(at) if rng.random() < 0.75 else None
            thread.views.append((viewer, at))
        thread.views.sort(key=lambda v: v[1])

    # Time

    def _delay(self, low: timedelta, high: timedelta) -> timedelta:
        """Log-uniform: most things happen soon, some much later."""
        logs = math.log(low.total_seconds()), math.log(high.total_seconds())
        return timedelta(seconds=int(math.exp(self.rng.uniform(*logs))))

    def _after(self, moment: datetime, low: timedelta, high: timedelta) -> datetime | None:
        """A moment after `moment` but before now, or None when there is no room left."""
        room = self.now - MINUTE - moment
        if room <= low:
            return None
        return moment + self._delay(low, min(high, room))
