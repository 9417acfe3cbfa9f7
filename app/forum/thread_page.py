"""Reading threads: visibility checks, the thread page query, and where a post lives.

The thread page runs the same handful of queries whatever the number of answers:
thread with category, author and tags; the opening post; one page of answers with their
authors, editors and (in discussions) reply targets joined; and the viewer's votes on all
of them at once.
"""

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.extensions import db
from app.forum import permissions
from app.forum.errors import MembersOnly, NotFound
from app.forum.models import Bookmark, Post, Thread, Vote
from app.web.pagination import Page, paginate

MEMBERS_ONLY = (
    "This thread is in a members-only category. Become a member to read it and join in."
)


@dataclass
class ThreadPage:
    thread: Thread
    first_post: Post
    posts: Page
    my_votes: dict[int, int] = field(default_factory=dict)
    reply_to: Post | None = None
    # Comments under the question and each shown answer, by the post they remark on.
    comments: dict[int, list[Post]] = field(default_factory=dict)
    bookmarked: bool = False

    @property
    def shown(self) -> list[Post]:
        """The posts the page shows in full: the opening post, then this page's answers."""
        return [self.first_post, *self.posts.items]


def _check_visible(viewer, thread: Thread) -> None:
    """Deleted threads are 'not found' to everyone but staff; member-only ones are 403."""
    if thread.is_deleted and not permissions.can_view_thread(viewer, thread):
        raise NotFound("We could not find that thread. It may have been deleted.")
    if not permissions.can_view(viewer, thread.category):
        raise MembersOnly(MEMBERS_ONLY, thread=thread)


def get_visible_thread(viewer, thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.category)])
    if thread is None:
        raise NotFound("We could not find that thread.")
    _check_visible(viewer, thread)
    return thread


def thread_to_show(viewer, thread_id: int) -> Thread:
    """The thread for its page: one merged into another gives that other one (the page
    redirects there), so old links keep working; no extra query for other threads."""
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.category)])
    if thread is not None and thread.merged_into_id is not None:
        thread = db.session.get(Thread, thread.merged_into_id,
                                options=[joinedload(Thread.category)])
    if thread is None:
        raise NotFound("We could not find that thread.")
    _check_visible(viewer, thread)
    return thread


def get_visible_post(viewer, post_id: int, *, for_update: bool = False) -> Post:
    """The post with its thread and category; `for_update` locks the post row (PostgreSQL)."""
    stmt = (
        select(Post)
        .where(Post.id == post_id)
        .options(joinedload(Post.thread, innerjoin=True).joinedload(Thread.category, innerjoin=True))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Post).execution_options(populate_existing=True)
    post = db.session.scalars(stmt).first()
    if post is None:
        raise NotFound("We could not find that post.")
    _check_visible(viewer, post.thread)
    return post


# What a post shows of the people on it: their name, their link and their initials.
_BYLINE = (User.id, User.username, User.display_name, User.deleted_at)


def _post_options(thread: Thread):
    options = [
        defer(Post.body),  # the Markdown source is for editing; the page shows body_html
        joinedload(Post.author).load_only(*_BYLINE),
        joinedload(Post.edited_by).load_only(*_BYLINE),
    ]
    if not thread.is_question:  # answers to a question reply to no one in particular
        options.append(joinedload(Post.reply_to).load_only(Post.author_id)
                       .joinedload(Post.author).load_only(*_BYLINE))
    return options


def _answer_order(thread: Thread):
    """Answers by score, ties to the oldest; replies in the order they were written.

    The accepted answer is marked, not pinned: a better-voted answer stays above it.
    """
    if thread.is_question:
        return (Post.score.desc(), Post.created_at, Post.id)
    return (Post.created_at, Post.id)


def load_thread_page(viewer, thread_id: int, page: int, reply_to_id: int | None = None) -> ThreadPage:
    """Everything the thread page shows, for one page of answers, checked for `viewer`."""
    # Two flags ride along with the thread, so neither costs a query of its own.
    has_comments = exists().where(Post.thread_id == Thread.id, Post.reply_to_id.is_not(None))
    row = db.session.execute(
        select(Thread, has_comments, _bookmarked_by(viewer))
        .where(Thread.id == thread_id)
        .options(joinedload(Thread.category), joinedload(Thread.author), selectinload(Thread.tags))
    ).first()
    if row is None:
        raise NotFound("We could not find that thread.")
    thread, has_comments, bookmarked = row
    _check_visible(viewer, thread)
    first_post = db.session.scalars(
        select(Post).where(Post.thread_id == thread_id, Post.is_first).options(*_post_options(thread))
    ).one()
    answers = select(Post).where(Post.thread_id == thread_id, ~Post.is_first)
    if thread.is_question:
        answers = answers.where(Post.reply_to_id.is_(None))
    posts = paginate(
        answers
        .options(*_post_options(thread))
        .order_by(*_answer_order(thread)),
        page=page,
        per_page=current_app.config["POSTS_PER_PAGE"],
    )
    if page > posts.pages:
        raise NotFound("That page of the thread does not exist.")
    shown = [first_post, *posts.items]
    for post in shown:
        # Each post's permission checks read post.thread: give it the thread in hand
        # rather than an identity-map lookup per post.
        set_committed_value(post, "thread", thread)
    return ThreadPage(
        thread=thread,
        first_post=first_post,
        posts=posts,
        my_votes=_votes_of(viewer, [p.id for p in shown]),
        reply_to=_reply_target(thread, shown, reply_to_id),
        comments=_comments_on(thread, [p.id for p in shown]) if has_comments else {},
        bookmarked=bool(bookmarked),
    )


def _bookmarked_by(viewer):
    if not (viewer is not None and viewer.is_authenticated):
        return literal(False)
    return exists().where(Bookmark.thread_id == Thread.id, Bookmark.user_id == viewer.id)


def _comments_on(thread: Thread, post_ids: list[int]) -> dict[int, list[Post]]:
    """Live comments on the shown posts of a question, oldest first, in one query."""
    if not thread.is_question:
        return {}
    comments: dict[int, list[Post]] = {}
    rows = db.session.scalars(
        select(Post)
        .where(Post.thread_id == thread.id, Post.reply_to_id.in_(post_ids),
               Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .options(joinedload(Post.author))
        .order_by(Post.created_at, Post.id)
    )
    for comment in rows:
        comments.setdefault(comment.reply_to_id, []).append(comment)
    return comments


def _votes_of(viewer, post_ids: list[int]) -> dict[int, int]:
    """{post_id: +1 | -1} for the viewer, in one query for the whole page."""
    if not (viewer is not None and viewer.is_authenticated):
        return {}
    rows = db.session.execute(
        select(Vote.post_id, Vote.value).where(Vote.user_id == viewer.id, Vote.post_id.in_(post_ids))
    )
    return {post_id: value for post_id, value in rows}


def _reply_target(thread: Thread, shown: list[Post], reply_to_id: int | None) -> Post | None:
    """The post a discussion reply will answer (`?reply_to=`), when it is live and in this thread."""
    if not reply_to_id or thread.is_question:
        return None
    target = next((p for p in shown if p.id == reply_to_id), None)
    if target is None:
        target = db.session.scalars(
            select(Post).where(Post.id == reply_to_id).options(joinedload(Post.author))
        ).first()
    if target is None or target.thread_id != thread.id or target.is_deleted:
        return None
    return target


def post_page_number(post: Post) -> int:
    """The page of its thread on which a post is shown now (scores move answers around)."""
    if post.is_comment:
        post = post.reply_to  # shown under the post it remarks on
    if post.is_first:
        return 1
    thread = post.thread
    earlier_in_time = or_(
        Post.created_at < post.created_at,
        and_(Post.created_at == post.created_at, Post.id < post.id),
    )
    if thread.is_question:
        before = or_(Post.score > post.score, and_(Post.score == post.score, earlier_in_time))
    else:
        before = earlier_in_time
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Post)
        .where(Post.thread_id == thread.id, ~Post.is_first, Post.reply_to_id.is_(None), before)
    )
    return (ahead or 0) // current_app.config["POSTS_PER_PAGE"] + 1
