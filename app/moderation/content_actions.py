"""Moderators' actions on a thread: lock and unlock, pin and unpin, slow mode on the
thread or on a whole category, moving it to another category, merging it into another.

Each function is one use case and one transaction: it checks that the actor is staff,
loads the thread (or the category) with its row locked, refuses a change that is already
in place (a second click says so instead of writing a second audit entry), writes the
change with its audit entry, and commits. Locking needs a reason, since members read it
on the page; pinning only arranges the list, so its reason is optional. The author hears
of a lock, a move and a merge (with the reason); unlocking, pinning and slow mode need
no notice.
"""

from sqlalchemy import delete, select, update

from app.extensions import db
from app.forum.bookmarks import move_bookmarks
from app.forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.forum.models import Category, Post, SearchDocument, Thread
from app.gamification import bounties, closing
from app.gamification.closing_rules import parse_thread_ref
from app.moderation.audit import log_action
from app.moderation.notices import tell_author
from app.moderation.permissions import is_moderator
from app.moderation.slow_mode_rules import MAX_MINUTES, MIN_MINUTES, valid_minutes
from app.moderation.user_actions import MAX_REASON_LENGTH, clean_reason
from app.timeutil import utcnow


def lock_thread(actor, thread_id: int, *, reason: str) -> Thread:
    """Stop new answers, replies and votes; reading stays, and the page says why."""
    thread = _moderated_thread(actor, thread_id)
    if thread.is_locked:
        raise Conflict("This thread is already locked.")
    reason = clean_reason(reason)
    before = _lock_state(thread)
    thread.locked_at = utcnow()
    thread.locked_by_id = actor.id
    thread.lock_reason = reason
    tell_author(actor, "lock_thread", thread=thread, reason=reason)
    _log(actor, "lock_thread", thread, reason, before, _lock_state(thread))
    return thread


def unlock_thread(actor, thread_id: int, *, reason: str) -> Thread:
    thread = _moderated_thread(actor, thread_id)
    if not thread.is_locked:
        raise Conflict("This thread is not locked.")
    reason = clean_reason(reason)
    before = _lock_state(thread)
    thread.locked_at = None
    thread.locked_by_id = None
    thread.lock_reason = ""
    _log(actor, "unlock_thread", thread, reason, before, _lock_state(thread))
    return thread


def pin_thread(actor, thread_id: int, *, reason: str = "") -> Thread:
    """Put the thread at the top of its category's list, above every sort order."""
    thread = _moderated_thread(actor, thread_id)
    if thread.is_pinned:
        raise Conflict("This thread is already pinned.")
    thread.pinned_at = utcnow()
    _log(actor, "pin_thread", thread, _optional(reason), {"pinned": False}, {"pinned": True})
    return thread


def unpin_thread(actor, thread_id: int, *, reason: str = "") -> Thread:
    thread = _moderated_thread(actor, thread_id)
    if not thread.is_pinned:
        raise Conflict("This thread is not pinned.")
    thread.pinned_at = None
    _log(actor, "unpin_thread", thread, _optional(reason), {"pinned": True}, {"pinned": False})
    return thread


def set_slow_mode(actor, thread_id: int, *, minutes: int | None, reason: str) -> Thread:
    """One post per person per `minutes` in the thread; setting it again changes the minutes."""
    thread = _moderated_thread(actor, thread_id)
    _slow_down(actor, thread, minutes, reason)
    return thread


def end_slow_mode(actor, thread_id: int, *, reason: str) -> Thread:
    thread = _moderated_thread(actor, thread_id)
    _end_slow_mode(actor, thread, reason)
    return thread


def set_category_slow_mode(actor, category_id: int, *, minutes: int | None,
                           reason: str) -> Category:
    """One post per person per `minutes` anywhere in the category, from the category's
    page or from any of its threads' Moderate panel."""
    category = _moderated_category(actor, category_id)
    _slow_down(actor, category, minutes, reason)
    return category


def end_category_slow_mode(actor, category_id: int, *, reason: str) -> Category:
    category = _moderated_category(actor, category_id)
    _end_slow_mode(actor, category, reason)
    return category


def move_thread(actor, thread_id: int, *, category_id: int | None, reason: str) -> Thread:
    """Put the thread in another category. Who may read it follows the new category at
    once, since lists, search and the thread page all ask the thread's category."""
    thread = _moderated_thread(actor, thread_id)
    category = db.session.get(Category, category_id) if category_id else None
    if category is None:
        raise ValidationError("category", "Choose a category.")
    if category.id == thread.category_id:
        raise ValidationError("category", "The thread is already in that category.")
    reason = clean_reason(reason)
    before = {"category": thread.category_id}
    tell_author(actor, "move_thread", thread=thread, reason=reason,
                from_category=thread.category.name, to_category=category.name)
    thread.category = category
    _log(actor, "move_thread", thread, reason, before, {"category": category.id})
    return thread


def merge_thread(actor, source_id: int, *, target: str, reason: str) -> Thread:
    """Move the source's answers and replies into `target` (a thread number or link) and
    leave the source as a deleted stub whose page redirects there; returns the target.

    The opening post stays with the stub (it would read oddly as an answer). Reply and
    view counts and bookmarks move to the target, search documents follow their posts,
    and the source leaves lists and search like any deleted thread. What was about the source alone
    ends with it: its pending close and reopen votes go, and a running bounty goes back
    to its offerer through the ledger, as for any question deleted under a bounty. The
    source's author is told where their thread went.
    """
    source = _moderated_thread(actor, source_id)
    target_id = parse_thread_ref(target)
    if target_id is None:
        raise ValidationError("target", "Paste the link (or the number) of the thread to merge into.")
    if target_id == source.id:
        raise ValidationError("target", "A thread cannot be merged into itself.")
    into = db.session.get(Thread, target_id, with_for_update=True, populate_existing=True)
    if into is None or into.is_deleted:
        raise ValidationError("target", "We could not find a live thread with that number.")
    if source.is_deleted:
        raise Conflict("This thread is deleted (or already merged), so it cannot be merged.")
    reason = clean_reason(reason)

    moved = list(db.session.scalars(select(Post).where(Post.thread_id == source.id,
                                                       ~Post.is_first).order_by(Post.id)))
    live = sum(1 for post in moved if not post.is_deleted)
    ids = [post.id for post in moved]
    if ids:
        db.session.execute(update(Post).where(Post.id.in_(ids)).values(thread_id=into.id)
                           .execution_options(synchronize_session=False))
        db.session.execute(update(SearchDocument).where(SearchDocument.post_id.in_(ids))
                           .values(thread_id=into.id)
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(SearchDocument).where(SearchDocument.thread_id == source.id))
    now = utcnow()
    views = source.view_count
    into.reply_count += live
    into.view_count += views
    into.last_activity_at = max(into.last_activity_at, source.last_activity_at)
    closing.drop_pending_votes(source.id)
    move_bookmarks(source.id, into.id)
    refunded = bounties.refund_running_bounty(source.id, now=now)
    source.reply_count = 0
    source.view_count = 0
    source.accepted_post_id = None
    source.deleted_at = now
    source.merged_into_id = into.id
    tell_author(actor, "merge_thread", thread=source, reason=reason, link_to=into,
                into=into.title)
    log_action(actor, "merge_thread", target=source, target_user=source.author_id,
               reason=reason, before={"thread": source.id, "reply_count": live,
                                      "view_count": views},
               after={"merged_into": into.id, "posts_moved": ids,
                      **({"bounty_refunded": refunded.id} if refunded else {})})
    db.session.commit()
    return into


def _slow_down(actor, scope: Thread | Category, minutes: int | None, reason: str) -> None:
    """Slow mode on `scope`, recording who set it and why (and the minutes it replaces)."""
    if not valid_minutes(minutes):
        raise ValidationError("minutes", f"Choose {MIN_MINUTES} to {MAX_MINUTES} minutes.")
    reason = clean_reason(reason)
    before = _slow_state(scope)
    scope.slow_mode_minutes = minutes
    scope.slow_mode_set_by_id = actor.id
    scope.slow_mode_reason = reason
    _log(actor, "slow_mode_on", scope, reason, before, _slow_state(scope))


def _end_slow_mode(actor, scope: Thread | Category, reason: str) -> None:
    if not scope.slow_mode_minutes:
        raise Conflict(f"This {_noun(scope)} is not in slow mode.")
    reason = clean_reason(reason)
    before = _slow_state(scope)
    scope.slow_mode_minutes = None
    scope.slow_mode_set_by_id = None
    scope.slow_mode_reason = ""
    _log(actor, "slow_mode_off", scope, reason, before, _slow_state(scope))


def _moderated_thread(actor, thread_id: int) -> Thread:
    """The thread, row locked (PostgreSQL) so two moderators' clicks take turns.

    Staff see every thread, deleted and member-only ones included, so no visibility
    check beyond `is_moderator` is needed.
    """
    return _moderated(actor, Thread, thread_id)


def _moderated_category(actor, category_id: int) -> Category:
    """The category, row locked like a thread; staff see member-only ones too."""
    return _moderated(actor, Category, category_id)


def _moderated(actor, model: type[Thread] | type[Category], row_id: int):
    if not is_moderator(actor):
        raise PermissionDenied("Only moderators can do that.")
    row = db.session.scalars(
        select(model).where(model.id == row_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound(f"We could not find that {model.__table__.name}.")
    return row


def _log(actor, action: str, target: Thread | Category, reason: str, before: dict,
         after: dict) -> None:
    """Audit `action` on `target`, naming the thread's author (a category has none), then
    commit."""
    author = target.author_id if isinstance(target, Thread) else None
    log_action(actor, action, target=target, target_user=author, reason=reason,
               before=before, after=after)
    db.session.commit()


def _optional(reason: str | None) -> str:
    return (reason or "").strip()[:MAX_REASON_LENGTH]


def _noun(scope: Thread | Category) -> str:
    return "category" if isinstance(scope, Category) else "thread"


def _slow_state(scope: Thread | Category) -> dict:
    return {"slow_mode_minutes": scope.slow_mode_minutes,
            "slow_mode_set_by": scope.slow_mode_set_by_id}


def _lock_state(thread: Thread) -> dict:
    return {"locked": thread.is_locked, "locked_by": thread.locked_by_id}
