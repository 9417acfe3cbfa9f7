"""Who may do what in the forum: decided here and nowhere else.

Views and templates ask these functions; services call them again before writing, so
hiding a button is never the only guard. `user` may be anonymous (Flask-Login's
AnonymousUserMixin) or None.
"""

from app.billing.membership import is_member
from app.forum.models import Category, Post, Thread
from app.gamification.privileges import can


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and not user.is_deleted)


def _may_write(user) -> bool:
    """Signed in and not silenced by a moderator (silence is read-only mode)."""
    return _authenticated(user) and not user.is_silenced


def _staff(user) -> bool:
    return _authenticated(user) and user.is_staff


def can_view(user, category: Category) -> bool:
    return not category.member_only or is_member(user)


def can_view_thread(user, thread: Thread) -> bool:
    """Deleted threads stay readable for staff, who may need to undelete them."""
    return can_view(user, thread.category) and (not thread.is_deleted or _staff(user))


def can_read_deleted(user, post: Post) -> bool:
    """The text of a deleted post stays visible, greyed, to its author and to staff."""
    return _authenticated(user) and (post.author_id == user.id or user.is_staff)


def can_read_hidden(user, post: Post) -> bool:
    """A hidden post's text stays visible to its author and to staff, who decide on it."""
    return can_read_deleted(user, post)


def can_post_in(user, category: Category) -> bool:
    return _may_write(user) and can_view(user, category)


def can_answer(user, thread: Thread) -> bool:
    """Answer a question or reply in a discussion: a live, open thread one may post in,
    unlocked unless one is staff."""
    return (can_post_in(user, thread.category) and not thread.is_deleted
            and not thread.is_closed and (not thread.is_locked or posts_past_lock(user)))


def posts_past_lock(user) -> bool:
    """Staff may still post in a locked thread, to explain the lock or wrap up (as
    Discourse lets staff reply to closed topics); votes stay refused for everyone."""
    return _staff(user)


def can_reply(user, post: Post) -> bool:
    return can_answer(user, post.thread)


def can_edit(user, post: Post) -> bool:
    if not _may_write(user) or post.is_deleted:
        return False
    return post.author_id == user.id or can(user, "edit_any")


def must_explain_edit(user, post: Post) -> bool:
    """Staff editing someone else's post say why: the author is told, with the reason.
    Members who earned `edit_any` edit as before, the reason optional."""
    return _staff(user) and post.author_id != user.id


def can_delete(user, post: Post) -> bool:
    if not _authenticated(user) or post.is_deleted:
        return False
    return post.author_id == user.id or _staff(user)


def can_undelete(user, post: Post) -> bool:
    return _staff(user) and post.is_deleted


def can_vote(user, post: Post, value: str = "up") -> bool:
    """Vote on a live post one can see, never one's own; up and down are privileges."""
    return (
        _may_write(user)
        and not post.is_deleted
        and not post.thread.is_deleted
        and not post.thread.is_locked
        and post.author_id != user.id
        and can_view(user, post.thread.category)
        and (value == "clear" or can(user, "vote_down" if value == "down" else "vote_up"))
    )


def may_vote_on(user, post: Post) -> bool:
    """Whether `post` takes votes from `user` at all, privileges aside (to show the controls)."""
    return (
        _may_write(user)
        and not post.is_deleted
        and not post.thread.is_deleted
        and not post.thread.is_locked
        and post.author_id != user.id
        and can_view(user, post.thread.category)
    )


def can_flag(user, post: Post) -> bool:
    """Flag a live post of someone else's (to show the control; the service says why not)."""
    return (_may_write(user) and not post.is_deleted and post.author_id != user.id
            and can(user, "flag"))


def can_hide(user, post: Post) -> bool:
    return _staff(user) and not post.is_deleted and not post.is_hidden


def can_restore(user, post: Post) -> bool:
    return _staff(user) and post.is_hidden


def can_accept(user, post: Post) -> bool:
    """Only the asker accepts, and only an answer (not the question itself); not while
    silenced."""
    thread = post.thread
    return (
        _may_write(user)
        and thread.is_question
        and not post.is_first
        and not post.is_deleted
        and not thread.is_deleted
        and thread.author_id == user.id
    )


def can_manage_categories(user) -> bool:
    return _authenticated(user) and user.is_admin
