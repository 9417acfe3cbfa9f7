"""Threads and posts: ask, the thread page, answer or reply, vote, accept, edit, history, delete.

Views parse the request, call one service and then flash and redirect or render. Domain
errors that a view does not turn into a field error reach `_forum_error`, which answers
with the matching status page (or JSON for JSON requests).
"""

from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import Unauthorized

from app.courses.catalogue import course_choices, course_id_for_slug
from app.extensions import limiter
from app.forum import history, permissions, posting, thread_page, view_counter, voting
from app.forum.errors import ValidationError
from app.forum.forms import BODY_HINT, TAGS_HINT, AskForm, EditForm, ReplyForm
from app.forum.models import ThreadKind
from app.forum.thread_links import linked_threads
from app.forum.validation import MAX_REASON_LENGTH
from app.gamification.privileges import can
from app.insights.recommendation_reads import related_threads
from app.web.errors import wants_json
from app.web.pagination import page_number
from app.web.visitor_cache import visitor_page

bp = Blueprint("forum", __name__)


def _rate_key() -> str:
    """Limits follow the person when signed in, so a shared office address is not one bucket."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _limit_for(scope: str):
    """The configured limit for `scope`, looser for people with the `reduced_limits`
    privilege; read on every request, so it follows the person's points as they change."""

    def limit() -> str:
        trusted = current_user.is_authenticated and can(current_user, "reduced_limits")
        return current_app.config[f"RATELIMIT_{scope.upper()}{'_TRUSTED' if trusted else ''}"]

    return limit


posting_limit = limiter.shared_limit(
    _limit_for("posting"), scope="posting", key_func=_rate_key, methods=["POST"]
)
voting_limit = limiter.shared_limit(
    _limit_for("voting"), scope="voting", key_func=_rate_key, methods=["POST"]
)


def login_required(view):
    """Flask-Login's redirect for pages; a 401 with a JSON message for JSON requests."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        if wants_json():
            return current_app.handle_http_exception(Unauthorized("Log in first."))
        return current_app.login_manager.unauthorized()

    return wrapped


def _viewer():
    return current_user._get_current_object()


def post_url(post) -> str:
    """The thread page that shows `post` now, scrolled to it."""
    thread = post.thread
    page = thread_page.post_page_number(post)
    return url_for(
        "forum.thread", thread_id=thread.id, slug=thread.slug,
        page=page if page > 1 else None, _anchor=f"post-{post.id}",
    )


def _render_thread(thread_id: int, form: ReplyForm, *, page: int = 1, status: int = 200):
    viewer = _viewer()  # the user itself, not the proxy
    data = thread_page.load_thread_page(viewer, thread_id, page, form.reply_to.data)
    asker = permissions.Viewer(viewer)  # each post asks a dozen questions of it
    return render_template(
        "forum/thread.html", page=data, thread=data.thread, form=form, viewer=viewer,
        controls=permissions.post_controls(asker, data.thread, data.shown, data.my_votes),
        may_answer=permissions.can_answer(asker, data.thread),
        body_hint=BODY_HINT, related=related_threads(thread_id, viewer),
        linked=linked_threads(viewer, thread_id),
    ), status


@bp.route("/ask", methods=["GET", "POST"])
@login_required
@posting_limit
def ask():
    form = AskForm()
    if not form.is_submitted():
        form.kind.data = request.args.get("kind", ThreadKind.QUESTION)
        form.category.data = request.args.get("category", type=int)
        form.course.data = course_id_for_slug(request.args.get("course"))
    if form.kind.data not in (ThreadKind.QUESTION, ThreadKind.DISCUSSION):
        form.kind.data = ThreadKind.QUESTION
    categories = posting.postable_categories(_viewer())
    form.category.choices = [("", "Choose a category…")] + [(c.id, c.name) for c in categories]
    form.course.choices = [("", "No course")] + course_choices(_viewer())
    if form.validate_on_submit():
        try:
            posted = posting.create_thread(
                _viewer(), kind=form.kind.data, title=form.title.data, body=form.body.data,
                category_id=form.category.data, tags=form.tags.data,
                course_id=form.course.data,
            )
        except ValidationError as error:
            form.apply_error(error)
        else:
            noun = "question" if posted.thread.is_question else "discussion"
            if posted.post.is_hidden:
                flash(f"Your {noun} is saved and held for a moderator's review.", "info")
            elif posted.created:
                flash(f"Your {noun} is posted.", "success")
            else:
                flash(f"You posted this {noun} a moment ago; here it is.", "info")
            return redirect(post_url(posted.post))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "forum/ask.html", form=form, categories=categories, body_hint=BODY_HINT,
        tags_hint=TAGS_HINT,
    ), status


@bp.get("/t/<int:thread_id>", endpoint="thread")
@bp.get("/t/<int:thread_id>/<slug>", endpoint="thread")
def show_thread(thread_id: int, slug: str | None = None):
    thread = thread_page.thread_to_show(_viewer(), thread_id)
    if thread.id != thread_id or slug != thread.slug:
        args = {k: v for k, v in request.args.items() if k not in ("thread_id", "slug")}
        return redirect(url_for("forum.thread", thread_id=thread.id, slug=thread.slug, **args), 301)
    key = view_counter.viewer_key(current_user, request.remote_addr, request.user_agent.string)
    view_counter.count_view(thread, key, user=_viewer())
    # The page writes its own form token where it shows the form; a token made for the
    # empty form would make every visitor's page personal (app/web/visitor_cache.py).
    form = ReplyForm(reply_to=request.args.get("reply_to", type=int), meta={"csrf": False})
    return visitor_page(lambda: _render_thread(thread_id, form, page=page_number()))


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@posting_limit
def reply(thread_id: int):
    if request.method == "GET":  # a login `next`, or a page link built on the form's URL
        thread = thread_page.get_visible_thread(_viewer(), thread_id)
        page = request.args.get("page", type=int)
        return redirect(url_for("forum.thread", thread_id=thread.id, slug=thread.slug,
                                page=page, _anchor="reply"))
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            posted = posting.add_reply(
                _viewer(), thread_id, body=form.body.data, reply_to_id=form.reply_to.data
            )
        except ValidationError as error:
            form.apply_error(error)
        else:
            noun = "answer" if posted.thread.is_question else "reply"
            if posted.post.is_hidden:
                flash(f"Your {noun} is saved and held for a moderator's review.", "info")
            elif posted.created:
                flash(f"Your {noun} is posted.", "success")
            else:
                flash(f"You posted this {noun} a moment ago; here it is.", "info")
            return redirect(post_url(posted.post))
    return _render_thread(thread_id, form, status=422)


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    return redirect(post_url(thread_page.get_visible_post(_viewer(), post_id)))


@bp.post("/posts/<int:post_id>/vote")
@login_required
@voting_limit
def vote(post_id: int):
    result = voting.cast_vote(_viewer(), post_id, request.form.get("value", ""))
    if wants_json():
        return jsonify(score=result.score, my_vote=result.my_vote)
    if not result.changed:
        flash("Your vote stays as it was.", "info")
    elif result.my_vote:
        flash(f"Voted {result.my_vote}.", "success")
    else:
        flash("Vote taken back.", "success")
    return redirect(post_url(result.post))


@bp.post("/posts/<int:post_id>/accept")
@login_required
@voting_limit
def accept(post_id: int):
    result = voting.accept_answer(_viewer(), post_id)
    if result.accepted:
        flash("Answer accepted. Thanks for closing the loop!", "success")
    else:
        flash("Answer no longer accepted.", "info")
    return redirect(post_url(result.post))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@posting_limit
def edit(post_id: int):
    post = posting.editable_post(_viewer(), post_id)
    form = EditForm()
    must_explain = permissions.must_explain_edit(_viewer(), post)
    if must_explain:
        form.reason.label.text = "Edit summary (required)"
    if not form.is_submitted():
        form.body.data = post.body
        if post.is_first:
            form.title.data = post.thread.title
            form.tags.data = " ".join(t.name for t in post.thread.tags)
            form.course.data = post.thread.course_id
    form.course.choices = [("", "No course")] + (
        course_choices(_viewer(), current_id=post.thread.course_id) if post.is_first else [])
    if form.validate_on_submit():
        try:
            edited = posting.edit_post(
                _viewer(), post_id, body=form.body.data, reason=form.reason.data,
                title=form.title.data if post.is_first else None,
                tags=form.tags.data if post.is_first else None,
                course_id=form.course.data if post.is_first else ...,
            )
        except ValidationError as error:
            form.apply_error(error)
        else:
            if edited.changed:
                flash("Your edit is saved.", "success")
            else:
                flash("Nothing changed, so no new revision was saved.", "info")
            return redirect(post_url(edited.post))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "forum/edit.html", form=form, post=post, thread=post.thread, body_hint=BODY_HINT,
        tags_hint=TAGS_HINT, must_explain=must_explain,
    ), status


@bp.get("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    post, entries = history.load_history(_viewer(), post_id)
    return render_template("forum/history.html", post=post, thread=post.thread, entries=entries)


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete(post_id: int):
    reason = request.form.get("reason", "").strip()[:MAX_REASON_LENGTH]
    post = posting.delete_post(_viewer(), post_id, reason=reason)
    thread = post.thread
    if not post.is_first:
        flash("The post is deleted.", "success")
        return redirect(post_url(post))
    flash("The thread is deleted.", "success")
    if permissions.can_view_thread(current_user, thread):
        return redirect(post_url(post))
    return redirect(url_for("browse.category", slug=thread.category.slug))


@bp.post("/posts/<int:post_id>/undelete")
@login_required
def undelete(post_id: int):
    post = posting.undelete_post(_viewer(), post_id)
    flash("The post is back.", "success")
    return redirect(post_url(post))
