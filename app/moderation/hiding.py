"""Hiding a post while moderators review it, and restoring it.

A hidden post keeps its text for its author and staff; everyone else reads a notice, and
it leaves search. When a moderator hides it (by hand or from the review queue) its
author is told why, and that they may edit it and ask the moderators to restore it;
hiding by the community's flags or the spam check tells no one until a moderator
decides. `hide` and `unhide` join the caller's transaction (the flag services use them
too); `hide_post` and `restore_post` are the moderator's own use cases.
"""

from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied
from app.forum.models import Post
from app.forum.search_index import index_post
from app.forum.thread_page import get_visible_post
from app.moderation.audit import log_action
from app.moderation.notices import tell_author
from app.moderation.permissions import is_moderator
from app.timeutil import utcnow

AUTOMATIC_REASON = "Hidden by flags from trusted members"


def hide(post: Post, *, by, reason: str, action: str = "hide_post") -> None:
    """Hide `post`; `by` None means the community's flags (or the spam check) did it.
    `action` names the audit entry. Never commits."""
    before = _state(post)
    post.hidden_at = utcnow()
    post.hidden_by_id = getattr(by, "id", None)
    post.hidden_reason = (reason or AUTOMATIC_REASON)[:200]
    index_post(post)
    log_action(by, action, target=post, target_user=post.author_id,
               reason=post.hidden_reason, before=before, after=_state(post))
    if by is not None:
        tell_author(by, "hide_post", thread=post.thread, post=post, reason=post.hidden_reason)


def unhide(post: Post, *, by, reason: str, action: str = "restore_post") -> None:
    """Bring a hidden post back into view and into search. Never commits."""
    before = _state(post)
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    index_post(post)
    log_action(by, action, target=post, target_user=post.author_id,
               reason=reason, before=before, after=_state(post))


def hide_post(moderator, post_id: int, *, reason: str) -> Post:
    """A moderator hides a post (for example while they ask its author to fix it)."""
    post = _moderated_post(moderator, post_id)
    if post.is_hidden:
        raise Conflict("That post is already hidden.")
    hide(post, by=moderator, reason=reason.strip() or "Hidden by a moderator")
    db.session.commit()
    return post


def restore_post(moderator, post_id: int, *, reason: str = "") -> Post:
    post = _moderated_post(moderator, post_id)
    if not post.is_hidden:
        raise Conflict("That post is not hidden.")
    unhide(post, by=moderator, reason=reason.strip() or "Restored by a moderator")
    db.session.commit()
    return post


def _moderated_post(moderator, post_id: int) -> Post:
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can hide or restore posts.")
    return get_visible_post(moderator, post_id, for_update=True)


def _state(post: Post) -> dict:
    return {"hidden": post.is_hidden, "hidden_by": post.hidden_by_id}
