"""Saving threads to read again: the bookmark button and the list of bookmarks."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.forum import bookmarks
from app.web.pagination import page_number

bp = Blueprint("bookmarks", __name__)


@bp.post("/t/<int:thread_id>/bookmark")
@login_required
def save(thread_id: int):
    saved = request.form.get("saved") != "0"
    thread = bookmarks.set_bookmark(current_user, thread_id, saved=saved)
    flash("Bookmarked: find it under Bookmarks." if saved else "Bookmark removed.", "success")
    return redirect(url_for("forum.thread", thread_id=thread.id, slug=thread.slug))


@bp.get("/bookmarks")
@login_required
def index():
    page = bookmarks.bookmarked_threads(current_user, page_number())
    return render_template("forum/bookmarks.html", page=page)
