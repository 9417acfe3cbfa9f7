"""Write a planned demo community into the database, with its history in the event log.

Rows are built directly from the models (the web flow would take minutes and could not
back-date anything), and every derived column is computed from the plan, so the result
keeps the invariants the forum services keep: scores equal vote sums, reply counts
count live replies, every post has revision 1, and live posts have a search document.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.database import insert_in_batches
from app.extensions import db
from app.forum.models import Category, Post, PostRevision, Tag, Thread, Vote
from app.forum.search_index import index_post
from app.insights.services import record
from app.outreach import preferences
from app.outreach.models import EmailPreference
from app.seed import content
from app.seed.bounties import add_demo_bounties
from app.seed.competitions import add_demo_competitions
from app.seed.courses import add_demo_courses
from app.seed.members import add_demo_members
from app.seed.moderation import add_demo_moderation
from app.seed.plan import DemoPlan, PostPlan, ThreadPlan
from app.timeutil import utcnow
from app.web.markdown import render_markdown


class NotEmpty(Exception):
    """Demo data only goes into a database without users, so it never mixes with real data."""


@dataclass(frozen=True)
class SeedSummary:
    users: int
    moderators: tuple[str, ...]
    categories: int
    tags: int
    questions: int
    discussions: int
    posts: int
    votes: int
    events: int
    bounties: int
    members: int
    courses: int
    competitions: int
    flags: int


@dataclass(frozen=True)
class _Event:
    at: datetime
    type: str
    user_id: int | None
    subject: object
    data: dict


def has_users() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


def build_demo(plan: DemoPlan, *, now: datetime | None = None, seed: int = 0) -> SeedSummary:
    """Insert the whole plan in one transaction, flushed in batches, then the extras.

    A single commit rather than one per batch: a run that fails half-way then leaves an
    empty database, instead of a partial one that `--if-empty` would skip for ever. The
    bounties, paying members, courses, competitions and flags come after it, each its
    own transaction.
    """
    if has_users():
        raise NotEmpty("The database already has users; demo data only goes into an empty one.")
    users = _add_users(plan)
    categories = _add_categories(founded=plan.users[0].created_at)
    tags = {name: Tag(name=name, description=text, created_at=plan.users[0].created_at)
            for name, text in content.TAGS.items()}
    db.session.add_all(tags.values())
    threads = _add_threads(plan, users, categories, tags)
    posts = _add_posts(plan, threads, users)
    _add_revisions_votes_and_search(plan, threads, posts, users)
    events = _history(plan, users, threads, posts)
    for event in events:
        record(event.type, user=event.user_id, subject=event.subject, data=event.data, at=event.at)
    _mark_last_seen(users, events)
    db.session.commit()
    bounties = add_demo_bounties(now=now or utcnow(), seed=seed)
    members = add_demo_members(seed=seed)
    courses = add_demo_courses(seed=seed, now=now or utcnow())
    competitions = add_demo_competitions(seed=seed, now=now or utcnow())
    flags = add_demo_moderation(seed=seed, now=now or utcnow())
    planned_posts = [post for thread in plan.threads for post in thread.posts]
    return SeedSummary(
        users=len(users),
        moderators=tuple(u.username for u in plan.users if u.role == "moderator"),
        categories=len(categories),
        tags=len(tags),
        questions=sum(t.kind == "question" for t in plan.threads),
        discussions=sum(t.kind == "discussion" for t in plan.threads),
        posts=len(planned_posts),
        votes=sum(len(p.votes) for p in planned_posts),
        events=len(events),
        bounties=bounties,
        members=members,
        courses=courses,
        competitions=competitions,
        flags=flags,
    )


def _add_users(plan: DemoPlan) -> list[User]:
    # Everyone shares the demo password, so it is hashed once rather than per user:
    # scrypt is slow on purpose, and 150 hashes would dominate the run.
    password_hash = generate_password_hash(content.DEMO_PASSWORD, method="scrypt")
    users = [
        User(
            username=u.username,
            username_key=u.username.lower(),
            email=f"{u.username.lower()}@example.com",
            email_verified_at=u.verified_at,
            password_hash=password_hash,
            display_name=u.display_name,
            bio=u.bio,
            bio_html=render_markdown(u.bio) if u.bio else "",
            role=u.role,
            timezone=u.timezone,
            created_at=u.created_at,
        )
        for u in plan.users
    ]
    db.session.add_all(users)
    db.session.flush()
    insert_in_batches(EmailPreference, (
        {"user_id": user.id, "kind": preferences.REENGAGEMENT, "mode": preferences.SUBSCRIBED}
        for user, planned in zip(users, plan.users, strict=True) if planned.email_digest))
    return users


def _add_categories(*, founded: datetime) -> dict[str, Category]:
    categories = {
        spec.slug: Category(
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            color=spec.color,
            position=position,
            member_only=spec.member_only,
            created_at=founded,
        )
        for position, spec in enumerate(content.CATEGORIES, start=1)
    }
    db.session.add_all(categories.values())
    return categories


def _add_threads(plan, users, categories, tags) -> list[Thread]:
    """Threads with their denormalised columns already right, in the order they were started."""
    threads = []
    for planned in plan.threads:
        latest = max(planned.posts, key=lambda p: p.created_at)
        threads.append(
            Thread(
                kind=planned.kind,
                title=planned.title,
                slug=planned.slug,
                category=categories[planned.category],
                author_id=users[planned.author].id,
                score=planned.posts[0].score,
                reply_count=sum(1 for p in planned.posts[1:] if p.deleted_at is None),
                view_count=planned.view_count,
                created_at=planned.created_at,
                last_activity_at=latest.created_at,
                last_activity_by_id=users[latest.author].id,
                tags=[tags[name] for name in planned.tags],
            )
        )
    db.session.add_all(threads)
    db.session.flush()
    return threads


def _add_posts(plan, threads, users) -> list[list[Post]]:
    """Posts of every thread, inserted in time order so ids follow the site's history.

    Returns them per thread, in each thread's own order, for the links made next.
    """
    per_thread = [
        [_post(planned, thread, users) for planned in planned_thread.posts]
        for planned_thread, thread in zip(plan.threads, threads, strict=True)
    ]
    in_time_order = sorted(
        (post for posts in per_thread for post in posts), key=lambda p: p.created_at
    )
    db.session.add_all(in_time_order)
    db.session.flush()
    for planned_thread, thread, posts in zip(plan.threads, threads, per_thread, strict=True):
        for planned, post in zip(planned_thread.posts, posts, strict=True):
            if planned.reply_to is not None:
                post.reply_to_id = posts[planned.reply_to].id
        if planned_thread.accepted is not None:
            thread.accepted_post_id = posts[planned_thread.accepted].id
    return per_thread


def _post(planned: PostPlan, thread: Thread, users: list[User]) -> Post:
    edit = planned.edit
    return Post(
        thread_id=thread.id,
        author_id=users[planned.author].id,
        is_first=planned.is_first,
        body=planned.body,
        body_html=render_markdown(planned.body),
        score=planned.score,
        created_at=planned.created_at,
        edited_at=edit.at if edit else None,
        edited_by_id=users[edit.editor].id if edit else None,
        revision_count=2 if edit else 1,
        deleted_at=planned.deleted_at,
        deleted_by_id=users[planned.deleted_by].id if planned.deleted_by is not None else None,
    )


def _add_revisions_votes_and_search(plan, threads, posts, users) -> None:
    # No autoflush: index_post looks documents up one by one, and flushing before each
    # look-up would turn the batched inserts into one statement per row.
    with db.session.no_autoflush:
        for planned_thread, thread, thread_posts in zip(plan.threads, threads, posts, strict=True):
            tag_text = " ".join(sorted(planned_thread.tags))
            for planned, post in zip(planned_thread.posts, thread_posts, strict=True):
                title = thread.title if planned.is_first else None
                tags = tag_text if planned.is_first else None
                db.session.add(PostRevision(
                    post_id=post.id, number=1, editor_id=post.author_id, title=title, tags=tags,
                    body=planned.original, created_at=planned.created_at,
                ))
                if planned.edit:
                    db.session.add(PostRevision(
                        post_id=post.id, number=2, editor_id=users[planned.edit.editor].id,
                        title=title, tags=tags, body=planned.body, reason=planned.edit.reason,
                        created_at=planned.edit.at,
                    ))
                db.session.add_all(
                    Vote(user_id=users[v.voter].id, post_id=post.id, value=v.value, created_at=v.at)
                    for v in planned.votes
                )
                index_post(post)
    db.session.flush()


def _history(plan, users, threads, posts) -> list[_Event]:
    """The events the same story would have written live, oldest first."""
    events: list[_Event] = []
    for planned, user in zip(plan.users, users, strict=True):
        events.append(_Event(planned.created_at, "register", user.id, None, {}))
        events.append(_Event(planned.verified_at, "verify_email", user.id, None, {}))
        events += [_Event(at, "login", user.id, None, {}) for at in planned.logins]
    for planned_thread, thread, thread_posts in zip(plan.threads, threads, posts, strict=True):
        events += _thread_history(planned_thread, thread, thread_posts, users)
    events.sort(key=lambda e: e.at)  # stable: same-moment events keep their causal order
    return events


def _thread_history(planned: ThreadPlan, thread: Thread, posts: list[Post], users) -> list[_Event]:
    uid = [u.id for u in users]
    ask = _Event(planned.created_at, "ask", uid[planned.author], thread, {"kind": planned.kind})
    events = [ask]
    for index, (p, post) in enumerate(zip(planned.posts, posts, strict=True)):
        if index:
            reply_to = posts[p.reply_to].id if p.reply_to is not None else None
            events.append(_Event(
                p.created_at, "answer" if planned.kind == "question" else "reply", uid[p.author],
                post, {"thread_id": thread.id, "reply_to": reply_to},
            ))
        events += [
            _Event(v.at, "vote", uid[v.voter], post, {"value": v.value, "previous": None})
            for v in p.votes
        ]
        if p.edit:
            events.append(_Event(p.edit.at, "edit", uid[p.edit.editor], post, {"revision": 2}))
        if p.deleted_at:
            events.append(_Event(p.deleted_at, "delete", uid[p.deleted_by], post,
                                 {"thread_id": thread.id}))
    if planned.accepted is not None:
        events.append(_Event(planned.accepted_at, "accept", uid[planned.author],
                             posts[planned.accepted], {"thread_id": thread.id, "previous": None}))
    events += [
        _Event(at, "view", uid[viewer] if viewer is not None else None, thread, {})
        for viewer, at in planned.views
    ]
    return events


def _mark_last_seen(users: list[User], events: list[_Event]) -> None:
    by_id = {user.id: user for user in users}
    for event in events:  # oldest first, so the last write wins
        if event.user_id is not None:
            by_id[event.user_id].last_seen_at = event.at
