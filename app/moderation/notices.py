"""Telling members what moderators did to their content, and flaggers what became of
their flags, as in-app notifications of kind "moderation" (Discourse sends the same
system messages).

Both functions join the caller's transaction, so a notice commits with the action it
reports or not at all. `notify` skips the actor, so a moderator never hears of what they
did to their own post. Nothing folds (no subject): a hide and a later edit of one post
are two pieces of news. A notice carries the thread's title, so it still reads well once
the thread is deleted or merged away, and it links to the thread (or the post) only
while the reader can still open it.
"""

from app.forum.models import Post, Thread
from app.notifications.services import notify

KIND = "moderation"


def tell_author(actor, action: str, *, thread: Thread, post: Post | None = None,
                reason: str = "", link_to: Thread | None = None, **details) -> None:
    """Tell the author of `post` (or else of `thread`) that `action` happened to it.

    The notice leads to `link_to` (a merge's target) when given, else to the post or the
    thread; nowhere once the thread is deleted, as the author could not open it.
    """
    author_id = post.author_id if post is not None else thread.author_id
    link = _link(link_to) if link_to is not None else _link(thread, post)
    notify(author_id, KIND, actor_id=actor.id,
           data={"action": action, "reason": reason, "title": thread.title, **link, **details})


def tell_flaggers(actor, flagger_ids, *, post: Post, agreed: bool) -> None:
    """One notice per person who flagged `post`, thanking them when the moderators
    agreed and saying the post stays when they did not."""
    action = "flag_agreed" if agreed else "flag_declined"
    thread = post.thread
    for user_id in sorted(set(flagger_ids)):
        notify(user_id, KIND, actor_id=actor.id,
               data={"action": action, "title": thread.title, **_link(thread)})


def _link(thread: Thread, post: Post | None = None) -> dict:
    if thread.is_deleted:
        return {}
    return {"thread_id": thread.id, **({"post_id": post.id} if post is not None else {})}
