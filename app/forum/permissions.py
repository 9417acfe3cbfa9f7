"""Who may do what in the forum: decided here and nowhere else.

Views and templates ask these functions; services call them again before writing, so
hiding a button is never the only guard. `user` may be anonymous (Flask-Login's
AnonymousUserMixin) or None.
"""

from dataclasses import dataclass

from app.billing.membership import is_member
from app.forum.models import Category, Post, Thread
from app.gamification.privileges import can


class Viewer:
    """The facts about a user that the rules ask, each read once.

    Every rule takes a user or a Viewer; a page that asks many questions of one user (the
    thread page asks a dozen per post) wraps it once, so the account's flags and
    privileges are not worked out again for each post.
    """

    __slots__ = ("user", "id", "signed_in", "writes", "staff", "_held")

    def __init__(self, user):
        self.user = user
        self.signed_in = bool(user is not None and user.is_authenticated and not user.is_deleted)
        self.id = user.id if self.signed_in else None
        self.writes = self.signed_in and not user.is_silenced  # silence is read-only mode
        self.staff = self.signed_in and user.is_staff
        self._held: dict[str, bool] = {}

    def holds(self, privilege: str) -> bool:
        if privilege not in self._held:
            self._held[privilege] = can(self.user, privilege)
        return self._held[privilege]


def _facts(user) -> Viewer:
    return user if isinstance(user, Viewer) else Viewer(user)


def can_view(user, category: Category) -> bool:
    return not category.member_only or is_member(_facts(user).user)


def can_view_thread(user, thread: Thread) -> bool:
    """Deleted threads stay readable for staff, who may need to undelete them."""
    v = _facts(user)
    return can_view(v, thread.category) and (not thread.is_deleted or v.staff)


def can_read_deleted(user, post: Post) -> bool:
    """The text of a deleted post stays visible, greyed, to its author and to staff."""
    v = _facts(user)
    return v.signed_in and (post.author_id == v.id or v.staff)


def can_read_hidden(user, post: Post) -> bool:
    """A hidden post's text stays visible to its author and to staff, who decide on it."""
    return can_read_deleted(user, post)


def can_post_in(user, category: Category) -> bool:
    v = _facts(user)
    return v.writes and can_view(v, category)


def can_answer(user, thread: Thread) -> bool:
    """Answer a question or reply in a discussion: a live, open thread one may post in,
    unlocked unless one is staff."""
    v = _facts(user)
    return (can_post_in(v, thread.category) and not thread.is_deleted
            and not thread.is_closed and (not thread.is_locked or posts_past_lock(v)))


def posts_past_lock(user) -> bool:
    """Staff may still post in a locked thread, to explain the lock or wrap up (as
    Discourse lets staff reply to closed topics); votes stay refused for everyone."""
    return _facts(user).staff


def can_reply(user, post: Post) -> bool:
    return can_answer(user, post.thread)


def can_edit(user, post: Post) -> bool:
    v = _facts(user)
    if not v.writes or post.is_deleted:
        return False
    return post.author_id == v.id or v.holds("edit_any")


def must_explain_edit(user, post: Post) -> bool:
    """Staff editing someone else's post say why: the author is told, with the reason.
    Members who earned `edit_any` edit as before, the reason optional."""
    v = _facts(user)
    return v.staff and post.author_id != v.id


def can_delete(user, post: Post) -> bool:
    v = _facts(user)
    if not v.signed_in or post.is_deleted:
        return False
    return post.author_id == v.id or v.staff


def can_undelete(user, post: Post) -> bool:
    return _facts(user).staff and post.is_deleted


def can_vote(user, post: Post, value: str = "up") -> bool:
    """Vote on a live post one can see, never one's own; up and down are privileges."""
    v = _facts(user)
    return may_vote_on(v, post) and _may_cast(v, value)


def _may_cast(viewer: Viewer, value: str) -> bool:
    """Clearing one's vote needs nothing; up and down votes need their privilege."""
    return value == "clear" or viewer.holds("vote_down" if value == "down" else "vote_up")


def may_vote_on(user, post: Post) -> bool:
    """Whether `post` takes votes from `user` at all, privileges aside (to show the controls)."""
    v = _facts(user)
    return (
        v.writes
        and not post.is_deleted
        and not post.thread.is_deleted
        and not post.thread.is_locked
        and post.author_id != v.id
        and can_view(v, post.thread.category)
    )


def can_flag(user, post: Post) -> bool:
    """Flag a live post of someone else's (to show the control; the service says why not)."""
    v = _facts(user)
    return v.writes and not post.is_deleted and post.author_id != v.id and v.holds("flag")


def can_hide(user, post: Post) -> bool:
    return _facts(user).staff and not post.is_deleted and not post.is_hidden


def can_restore(user, post: Post) -> bool:
    return _facts(user).staff and post.is_hidden


def can_accept(user, post: Post) -> bool:
    """Only the asker accepts, and only an answer (not the question itself); not while
    silenced."""
    v = _facts(user)
    thread = post.thread
    return (
        v.writes
        and thread.is_question
        and not post.is_first
        and not post.is_deleted
        and not thread.is_deleted
        and thread.author_id == v.id
    )


@dataclass(frozen=True)
class PostControls:
    """What one post shows its viewer, by the rules above, asked once per post."""

    show_body: bool
    voting: bool  # vote buttons at all (privileges aside)
    vote_up: bool  # the up button works: the privilege, or undoing one's own up vote
    vote_down: bool
    accept: bool
    reply: bool  # "Reply" to this post (discussions)
    edit: bool
    delete: bool
    flag: bool
    hide: bool
    restore: bool
    undelete: bool


def post_controls(user, thread: Thread, posts, my_votes: dict[int, int]) -> dict[int, PostControls]:
    """{post id: PostControls} for the posts of one thread page, the viewer read once."""
    v = _facts(user)
    replies = not thread.is_question and can_answer(v, thread)
    controls = {}
    for post in posts:
        voting = may_vote_on(v, post)
        mine = my_votes.get(post.id, 0)
        controls[post.id] = PostControls(
            show_body=((not post.is_deleted or can_read_deleted(v, post))
                       and (not post.is_hidden or can_read_hidden(v, post))),
            voting=voting,
            vote_up=voting and (mine == 1 or _may_cast(v, "up")),
            vote_down=voting and (mine == -1 or _may_cast(v, "down")),
            accept=can_accept(v, post),
            reply=replies and not post.is_first and not post.is_deleted,
            edit=can_edit(v, post),
            delete=can_delete(v, post),
            flag=can_flag(v, post),
            hide=can_hide(v, post),
            restore=can_restore(v, post),
            undelete=can_undelete(v, post),
        )
    return controls


def can_manage_categories(user) -> bool:
    v = _facts(user)
    return v.signed_in and v.user.is_admin
