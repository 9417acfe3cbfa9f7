"""Writing threads and posts: ask, answer or reply, edit with revisions, delete and undelete.

Each function is one use case and one transaction: it checks permission and meaning,
writes the rows, keeps the thread's counters and the search index in step, records the
event, and commits. Failures raise the errors of `app.forum.errors` before anything is
written.
"""

from dataclasses import dataclass
from datetime import timedelta
from types import EllipsisType

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.courses.models import Course
from app.courses.permissions import can_view_course
from app.extensions import db
from app.forum import permissions
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.forum.models import (
    Category,
    Post,
    PostRevision,
    SearchDocument,
    Tag,
    Thread,
    ThreadKind,
)
from app.forum.savepoint import savepoint
from app.forum.search_index import index_post
from app.forum.slugs import slugify
from app.forum.thread_page import get_visible_post, get_visible_thread
from app.forum.validation import (
    clean_body,
    clean_reason,
    clean_title,
    count_links,
    first_day_error,
    parse_tags,
)
from app.gamification import levels
from app.gamification.levels import MAX_LINKS_WITHOUT_PRIVILEGE, PRIVILEGES_BY_SLUG
from app.gamification.privileges import can
from app.insights.services import record
from app.moderation import spam_check
from app.moderation.audit import log_action
from app.moderation.notices import tell_author
from app.moderation.restrictions import require_not_silenced
from app.moderation.slow_mode import require_slow_mode_allows
from app.timeutil import utcnow
from app.web.markdown import render_markdown

# A second identical submission inside this window is a double click, not a new post.
DUPLICATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Posted:
    post: Post
    created: bool  # False when the same text from the same author was found a moment ago

    @property
    def thread(self) -> Thread:
        return self.post.thread


@dataclass(frozen=True)
class Edited:
    post: Post
    changed: bool


def postable_categories(user) -> list[Category]:
    """The categories `user` may start a thread in, in the order the site lists them."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [c for c in categories if permissions.can_post_in(user, c)]


def create_thread(
    author,
    *,
    kind: str,
    title: str,
    body: str,
    category_id: int | None,
    tags: str = "",
    course_id: int | None = None,
) -> Posted:
    """Ask a question or start a discussion: the thread, its opening post and revision 1,
    optionally about one course (the course page lists it).

    A double click (same author, title and body within a minute) returns the thread the
    first click made instead of posting it twice.
    """
    if not (author is not None and author.is_authenticated):
        raise PermissionDenied("Log in to post.")
    require_not_silenced(author)
    if kind not in (ThreadKind.QUESTION, ThreadKind.DISCUSSION):
        raise ValidationError("kind", "Choose a question or a discussion.")
    category = db.session.get(Category, category_id) if category_id else None
    if category is None or not permissions.can_post_in(author, category):
        raise ValidationError("category", "Choose a category you can post in.")
    title = clean_title(title, max_length=current_app.config["MAX_TITLE_LENGTH"])
    body = _clean_body_for(author, body)
    names = parse_tags(tags, required=kind == ThreadKind.QUESTION)
    _check_new_tags(author, names)
    course_id = _course_for(author, course_id)

    _serialize_author(author)
    duplicate = db.session.scalars(
        select(Post)
        .join(Post.thread)
        .where(
            Post.author_id == author.id,
            Post.is_first,
            Post.body == body,
            Post.created_at >= utcnow() - DUPLICATE_WINDOW,
            Thread.title == title,
            Thread.deleted_at.is_(None),
        )
        .order_by(Post.id.desc())
    ).first()
    if duplicate is not None:
        db.session.rollback()
        return Posted(post=duplicate, created=False)
    _check_first_day(author, starting_thread=True)
    require_slow_mode_allows(author, category)

    tag_rows = _tags_named(names)
    now = utcnow()
    thread = Thread(
        kind=kind,
        title=title,
        slug=slugify(title),
        category_id=category.id,
        author_id=author.id,
        created_at=now,
        last_activity_at=now,
        last_activity_by_id=author.id,
        tags=tag_rows,
        course_id=course_id,
    )
    db.session.add(thread)
    post = _new_post(thread, author, body, is_first=True, created_at=now, tags=names)
    spam_check.screen(post, author)
    record("ask", user=author, subject=thread, data={"kind": kind})
    db.session.commit()
    return Posted(post=post, created=True)


def add_reply(author, thread_id: int, *, body: str, reply_to_id: int | None = None) -> Posted:
    """Answer a question or reply in a discussion.

    `reply_to_id` only means something in discussions, and must name a live post of
    the same thread. The thread's reply count moves by an SQL expression, so two
    answers arriving together both count.
    """
    thread = get_visible_thread(author, thread_id)
    require_not_silenced(author)
    if thread.is_deleted:
        raise Conflict("This thread was deleted, so it takes no new answers.")
    if thread.is_closed:
        raise Conflict("This question is closed, so it takes no new answers.")
    if thread.is_locked and not permissions.posts_past_lock(author):
        raise Conflict(f"This thread is locked, so it takes no new posts: {thread.lock_reason}")
    if not permissions.can_answer(author, thread):
        raise PermissionDenied("You cannot post in this category.")
    body = _clean_body_for(author, body)
    reply_to = _reply_target(thread, reply_to_id)

    _serialize_author(author)
    duplicate = db.session.scalars(
        select(Post)
        .where(
            Post.thread_id == thread.id,
            Post.author_id == author.id,
            ~Post.is_first,
            Post.body == body,
            Post.created_at >= utcnow() - DUPLICATE_WINDOW,
            Post.deleted_at.is_(None),
        )
        .order_by(Post.id.desc())
    ).first()
    if duplicate is not None:
        db.session.rollback()
        return Posted(post=duplicate, created=False)
    _check_first_day(author, starting_thread=False)
    require_slow_mode_allows(author, thread.category, thread)

    now = utcnow()
    post = _new_post(thread, author, body, is_first=False, created_at=now, reply_to=reply_to)
    spam_check.screen(post, author)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(
            reply_count=Thread.reply_count + 1, last_activity_at=now, last_activity_by_id=author.id
        )
        .execution_options(synchronize_session=False)
    )
    record(
        "answer" if thread.is_question else "reply",
        user=author,
        subject=post,
        data={"thread_id": thread.id, "reply_to": reply_to.id if reply_to else None},
    )
    db.session.commit()
    return Posted(post=post, created=True)


def editable_post(editor, post_id: int, *, for_update: bool = False) -> Post:
    """The post `editor` may edit, for the edit form and for saving it."""
    post = get_visible_post(editor, post_id, for_update=for_update)
    require_not_silenced(editor)
    if post.is_deleted:
        raise Conflict("This post was deleted; it has to be undeleted before it can be edited.")
    if not permissions.can_edit(editor, post):
        raise PermissionDenied("You can only edit your own posts.")
    return post


def edit_post(
    editor,
    post_id: int,
    *,
    body: str,
    title: str | None = None,
    tags: str | None = None,
    course_id: int | None | EllipsisType = ...,
    reason: str = "",
) -> Edited:
    """Save a new revision of a post; the opening post may also change title, tags and
    the course it is about (`course_id` None: about no course; left out: as it was).

    Saving the text as it is writes nothing (`changed` is False). The post row is locked
    while the next revision number is taken, so two editors cannot both write number n+1.
    Staff editing someone else's post must give a reason: it goes to the audit log and
    to the author, who is told of the edit.
    """
    post = editable_post(editor, post_id, for_update=True)
    thread = post.thread
    body = _clean_body_for(editor, body)
    if post.is_first:
        title = clean_title(title, max_length=current_app.config["MAX_TITLE_LENGTH"])
        names = sorted(parse_tags(tags, required=thread.is_question))
        _check_new_tags(editor, names)
        if course_id is ...:
            course_id = thread.course_id
        elif course_id != thread.course_id:
            course_id = _course_for(editor, course_id)
        same_head = (title == thread.title and course_id == thread.course_id
                     and names == sorted(t.name for t in thread.tags))
    else:
        title, names, same_head = None, None, True
    reason = clean_reason(reason)
    if body == post.body and same_head:
        db.session.rollback()
        return Edited(post=post, changed=False)
    explain = permissions.must_explain_edit(editor, post)
    if explain and not reason:
        raise ValidationError("reason", "Say why you edited: the author reads it.")

    old_title = thread.title
    if post.is_first:
        thread.tags = _tags_named(names)
        thread.title = title
        thread.slug = slugify(title)
        thread.course_id = course_id
    now = utcnow()
    number = post.revision_count + 1
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = now
    post.edited_by_id = editor.id
    post.revision_count = number
    db.session.add(
        PostRevision(
            post_id=post.id,
            number=number,
            editor_id=editor.id,
            title=title,
            tags=" ".join(names) if names is not None else None,
            body=body,
            reason=reason,
            created_at=now,
        )
    )
    index_post(post)
    record("edit", user=editor, subject=post, data={"revision": number})
    if explain:
        _audit_staff_edit(editor, post, reason, number, old_title)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("Someone saved an edit at the same moment; reload and try again.") from error
    return Edited(post=post, changed=True)


def delete_post(user, post_id: int, *, reason: str = "") -> Post:
    """Soft-delete: the row and its text stay for the author, staff and undelete.
    When staff delete someone else's post, `reason` goes to the audit log and to the
    author, who is told.

    Deleting the opening post deletes the thread. Deleting an answer takes it out of the
    reply count and, when it was the accepted one, un-accepts it.
    """
    post = get_visible_post(user, post_id, for_update=True)
    if post.is_deleted:
        raise Conflict("That post is already deleted.")
    if not permissions.can_delete(user, post):
        raise PermissionDenied("You can only delete your own posts.")
    thread = post.thread
    now = utcnow()
    post.deleted_at = now
    post.deleted_by_id = user.id
    if post.is_first:
        thread.deleted_at = now
        db.session.execute(delete(SearchDocument).where(SearchDocument.thread_id == thread.id))
    else:
        values = {} if post.is_comment else {"reply_count": Thread.reply_count - 1}
        if thread.accepted_post_id == post.id:
            values["accepted_post_id"] = None
        if values:
            db.session.execute(
                update(Thread)
                .where(Thread.id == thread.id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        index_post(post)
    record("delete", user=user, subject=post, data={"thread_id": thread.id})
    if post.author_id != user.id:
        log_action(user, "delete_post", target=post, target_user=post.author_id,
                   reason=reason, after={"thread": thread.id})
        tell_author(user, "delete_post", thread=thread, post=post, reason=reason,
                    first=post.is_first)
    db.session.commit()
    return post


def undelete_post(user, post_id: int) -> Post:
    """Staff bring a deleted post (or, through its opening post, a thread) back."""
    post = get_visible_post(user, post_id, for_update=True)
    if not post.is_deleted:
        raise Conflict("That post is not deleted.")
    if not permissions.can_undelete(user, post):
        raise PermissionDenied("Only moderators can undelete posts.")
    thread = post.thread
    post.deleted_at = None
    post.deleted_by_id = None
    if post.is_first:
        thread.deleted_at = None
        live = db.session.scalars(
            select(Post).where(Post.thread_id == thread.id, Post.deleted_at.is_(None))
        )
        for each in live:
            index_post(each)
    else:
        if not post.is_comment:
            db.session.execute(
                update(Thread)
                .where(Thread.id == thread.id)
                .values(reply_count=Thread.reply_count + 1)
                .execution_options(synchronize_session=False)
            )
        index_post(post)
    record("undelete", user=user, subject=post, data={"thread_id": thread.id})
    log_action(user, "undelete_post", target=post, target_user=post.author_id,
               after={"thread": thread.id})
    db.session.commit()
    return post


def _audit_staff_edit(editor, post: Post, reason: str, number: int, old_title: str) -> None:
    """The audit entry (revision numbers, and the title when it changed) and the
    author's notice of a staff edit."""
    thread = post.thread
    before, after = {"revision": number - 1}, {"revision": number}
    if thread.title != old_title:
        before["title"], after["title"] = old_title, thread.title
    log_action(editor, "edit_post", target=post, target_user=post.author_id, reason=reason,
               before=before, after=after)
    tell_author(editor, "edit_post", thread=thread, post=post, reason=reason)


def _course_for(author, course_id: int | None) -> int | None:
    """A course one can see (published, or any course for staff) may tag a thread."""
    if course_id is None:
        return None
    course = db.session.get(Course, course_id)
    if course is None or not can_view_course(author, course):
        raise ValidationError("course", "Choose a course from the list, or none.")
    return course.id


def _serialize_author(author) -> None:
    """Lock the author's row (PostgreSQL) so a double click's two requests take turns.

    The second one then sees the first one's post in the duplicate check.
    """
    db.session.execute(select(User.id).where(User.id == author.id).with_for_update())


def _check_first_day(author, *, starting_thread: bool) -> None:
    """Level-1 accounts in their first day have caps on threads and posts (staff none).

    Called with the author's row locked, so two quick requests cannot both take the last
    slot.
    """
    now = utcnow()
    if (author.is_staff or levels.level_for(author.points).number > 1
            or author.created_at <= now - timedelta(hours=levels.NEW_ACCOUNT_DAY_HOURS)):
        return
    threads = db.session.scalar(select(func.count(Thread.id)).where(Thread.author_id == author.id))
    posts = db.session.scalar(select(func.count(Post.id)).where(Post.author_id == author.id))
    message = first_day_error(starting_thread=starting_thread, threads=threads, posts=posts,
                              max_threads=levels.NEW_ACCOUNT_MAX_THREADS,
                              max_posts=levels.NEW_ACCOUNT_MAX_POSTS)
    if message:
        db.session.rollback()
        raise ValidationError("body", message)


def _reply_target(thread: Thread, reply_to_id: int | None) -> Post | None:
    if not reply_to_id or thread.is_question:
        return None
    target = db.session.get(Post, reply_to_id)
    if target is None or target.thread_id != thread.id or target.is_deleted:
        raise ValidationError("reply_to", "You can only reply to a live post in this thread.")
    return target


def _clean_body_for(author, body: str | None) -> str:
    """The body checks every post gets, plus the link limit until `post_links` is earned."""
    body = clean_body(body, max_length=current_app.config["MAX_BODY_LENGTH"])
    links = count_links(body)
    if links > MAX_LINKS_WITHOUT_PRIVILEGE and not can(author, "post_links"):
        needed = PRIVILEGES_BY_SLUG["post_links"].points
        raise ValidationError(
            "body",
            f"New members can include at most {MAX_LINKS_WITHOUT_PRIVILEGE} links "
            f"(this has {links}); more unlock at {needed} points.",
        )
    return body


def _check_new_tags(author, names: list[str]) -> None:
    """Only people with the `create_tags` privilege may introduce a tag the site lacks."""
    if not names or can(author, "create_tags"):
        return
    known = set(db.session.scalars(select(Tag.name).where(Tag.name.in_(names))))
    unknown = [name for name in names if name not in known]
    if unknown:
        needed = PRIVILEGES_BY_SLUG["create_tags"].points
        listed = ", ".join(f"“{name}”" for name in unknown)
        raise ValidationError(
            "tags",
            f"{listed} {'is a new tag' if len(unknown) == 1 else 'are new tags'}: creating "
            f"tags unlocks at {needed} points. Use existing tags for now.",
        )


def _tags_named(names: list[str]) -> list[Tag]:
    """The Tag rows for `names`, creating unknown ones.

    Two people may introduce the same new tag at once; the loser's insert fails in a
    savepoint and it takes the winner's row.
    """
    found = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name in found:
            continue
        try:
            with savepoint():
                tag = Tag(name=name)
                db.session.add(tag)
                db.session.flush()
        except IntegrityError:
            tag = db.session.scalars(select(Tag).where(Tag.name == name)).one()
        found[name] = tag
    return [found[name] for name in names]


def _new_post(
    thread: Thread,
    author,
    body: str,
    *,
    is_first: bool,
    created_at,
    reply_to: Post | None = None,
    tags: list[str] | None = None,
) -> Post:
    """A post with its revision 1 and its search document."""
    post = Post(
        thread=thread,
        author_id=author.id,
        is_first=is_first,
        reply_to_id=reply_to.id if reply_to else None,
        body=body,
        body_html=render_markdown(body),
        created_at=created_at,
    )
    db.session.add(post)
    db.session.flush()
    db.session.add(
        PostRevision(
            post_id=post.id,
            number=1,
            editor_id=author.id,
            title=thread.title if is_first else None,
            tags=" ".join(sorted(tags or [])) if is_first else None,
            body=body,
            created_at=created_at,
        )
    )
    index_post(post)
    return post
