"""The Moderate panel of a thread: staff lock, unlock, pin and unpin it, slow it (or its
whole category) down, move it, and merge it into another from there.

The panel is plain forms inside a <details> on the thread page, so it works without
JavaScript; a refused submission re-renders the panel on a page of its own with what
was typed and the message next to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.forum.errors import ValidationError
from app.forum.listing import categories_in_order
from app.forum.models import Thread
from app.forum.thread_page import get_visible_thread
from app.moderation import content_actions
from app.moderation.forms import ThreadActionForm
from app.moderation.permissions import is_moderator
from app.web.access import allowed_by

bp = Blueprint("content_actions", __name__)


@dataclass(frozen=True)
class ThreadAction:
    label: str                              # the button
    hint: str                               # under the reason field
    done: str                               # the flash after it worked
    applies: Callable[[Thread], bool]       # offered for a thread in this state
    run: Callable[..., Thread]              # (actor, thread_id, form)
    asks_minutes: bool = False
    asks_category: bool = False
    asks_target: bool = False


def _on_its_category(use_case: Callable) -> Callable[..., Thread]:
    """A category's use case (actor, category_id, form) run from a thread's panel on the
    thread's category; the panel then goes back to the thread."""

    def run(actor, thread_id: int, form) -> Thread:
        thread = get_visible_thread(actor, thread_id)
        use_case(actor, thread.category_id, form)
        return thread

    return run


_SHOWN = "Required; shown on the thread and kept in the audit log."
_LOGGED = "Required; kept in the audit log."
_OPTIONAL = "Optional; kept in the audit log."

ACTIONS = {
    "lock": ThreadAction(
        "Lock", _SHOWN, "The thread is locked.", lambda t: not t.is_locked,
        lambda actor, tid, f: content_actions.lock_thread(actor, tid, reason=f.reason.data)),
    "unlock": ThreadAction(
        "Unlock", _LOGGED, "The thread is unlocked.", lambda t: t.is_locked,
        lambda actor, tid, f: content_actions.unlock_thread(actor, tid, reason=f.reason.data)),
    "pin": ThreadAction(
        "Pin", _OPTIONAL, "The thread is pinned to the top of its category.",
        lambda t: not t.is_pinned,
        lambda actor, tid, f: content_actions.pin_thread(actor, tid, reason=f.reason.data)),
    "unpin": ThreadAction(
        "Unpin", _OPTIONAL, "The thread is unpinned.", lambda t: t.is_pinned,
        lambda actor, tid, f: content_actions.unpin_thread(actor, tid, reason=f.reason.data)),
    "slow": ThreadAction(
        "Slow mode for this thread", _LOGGED, "Slow mode is on for this thread.",
        lambda t: True,
        lambda actor, tid, f: content_actions.set_slow_mode(
            actor, tid, minutes=f.minutes.data, reason=f.reason.data), asks_minutes=True),
    "slow_off": ThreadAction(
        "End slow mode for this thread", _LOGGED, "Slow mode is off for this thread.",
        lambda t: bool(t.slow_mode_minutes),
        lambda actor, tid, f: content_actions.end_slow_mode(actor, tid, reason=f.reason.data)),
    "slow_category": ThreadAction(
        "Slow mode for the whole category", _LOGGED, "Slow mode is on for the category.",
        lambda t: True,
        _on_its_category(lambda actor, cid, f: content_actions.set_category_slow_mode(
            actor, cid, minutes=f.minutes.data, reason=f.reason.data)),
        asks_minutes=True),
    "slow_category_off": ThreadAction(
        "End slow mode for the category", _LOGGED, "Slow mode is off for the category.",
        lambda t: bool(t.category.slow_mode_minutes),
        _on_its_category(lambda actor, cid, f: content_actions.end_category_slow_mode(
            actor, cid, reason=f.reason.data))),
    "move": ThreadAction(
        "Move", _LOGGED, "The thread is moved.", lambda t: True,
        lambda actor, tid, f: content_actions.move_thread(
            actor, tid, category_id=f.category.data, reason=f.reason.data),
        asks_category=True),
    "merge": ThreadAction(
        "Merge", _LOGGED, "The thread is merged into this one.", lambda t: not t.is_deleted,
        lambda actor, tid, f: content_actions.merge_thread(
            actor, tid, target=f.target.data, reason=f.reason.data),
        asks_target=True),
}


@bp.app_template_global()
def thread_action_forms(thread: Thread, submitted: dict | None = None) -> dict:
    """{name: (action, form)} for the actions that apply to `thread` now; a form just
    submitted keeps what was typed."""
    submitted = submitted or {}
    forms = {name: (action, submitted.get(name) or ThreadActionForm(prefix=name, formdata=None))
             for name, action in ACTIONS.items() if action.applies(thread)}
    forms["move"][1].category.choices = [("", "Choose a category…")] + [
        (c.id, c.name) for c in categories_in_order() if c.id != thread.category_id]
    return forms


@bp.get("/t/<int:thread_id>/moderate")
@allowed_by(is_moderator)
def panel(thread_id: int):
    return _render_panel(thread_id, {})


@bp.post("/t/<int:thread_id>/moderate/<action>")
@allowed_by(is_moderator)
def moderate(thread_id: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        abort(404)
    form = ThreadActionForm(prefix=action)
    if form.validate_on_submit():
        try:
            thread = spec.run(current_user._get_current_object(), thread_id, form)
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(spec.done, "success")
            return redirect(url_for("forum.thread", thread_id=thread.id, slug=thread.slug))
    return _render_panel(thread_id, {action: form}, status=422)


def _render_panel(thread_id: int, submitted: dict, *, status: int = 200):
    thread = get_visible_thread(current_user, thread_id)
    return render_template("moderation/thread.html", thread=thread,
                           forms=thread_action_forms(thread, submitted)), status
