"""Browsing pages: home, thread lists, categories, tags, search, and category admin."""

from functools import wraps
from hashlib import sha256

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.forum import categories as category_admin
from app.forum import listing
from app.forum.category_forms import CategoryForm, MoveCategoryForm
from app.forum.errors import MembersOnly, PermissionDenied, ValidationError
from app.forum.listing import ThreadFilters
from app.forum.models import Category, Tag
from app.forum.permissions import can_manage_categories, can_view
from app.forum.search import search as search_posts
from app.insights.recommendation_reads import answerable_for, threads_for
from app.web.pagination import page_number
from app.web.visitor_cache import cached_for_visitors

bp = Blueprint("browse", __name__)

TAGS_PER_PAGE = 60
SEARCH_PER_PAGE = 20
ANSWERED_ARGS = {"yes": True, "no": False}
HOME_PICKS = 5


def _threads(filters: ThreadFilters, **scope):
    return listing.list_threads(
        current_user,
        filters,
        page=page_number(),
        per_page=current_app.config["THREADS_PER_PAGE"],
        **scope,
    )


@bp.route("/")
@cached_for_visitors
def home():
    filters = ThreadFilters.parse(request.args)
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    return render_template(
        "forum/home.html",
        page=_threads(filters),
        filters=filters,
        sidebar=listing.sidebar(current_user),
        for_you=threads_for(viewer, limit=HOME_PICKS) if viewer else [],
        answerable=answerable_for(viewer, limit=HOME_PICKS) if viewer else [],
    )


@bp.route("/threads")
@cached_for_visitors
def threads():
    filters = ThreadFilters.parse(request.args, default_sort="newest")
    return render_template("forum/threads.html", page=_threads(filters), filters=filters)


@bp.route("/categories")
@cached_for_visitors
def categories():
    return render_template(
        "forum/categories.html",
        categories=listing.categories_in_order(),
        counts=listing.category_thread_counts(current_user),
        can_manage=can_manage_categories(current_user),
    )


@bp.route("/c/<slug>")
@cached_for_visitors
def category(slug):
    category = db.first_or_404(db.select(Category).filter_by(slug=slug))
    if not can_view(current_user, category):
        raise MembersOnly("This category is for members.", category=category)
    filters = ThreadFilters.parse(request.args)
    return render_template(
        "forum/category.html",
        category=category,
        page=_threads(filters, category=category),
        filters=filters,
    )


@bp.route("/categories.css")
def category_css():
    css = category_admin.category_stylesheet()
    response = make_response(css)
    response.mimetype = "text/css"
    response.set_etag(sha256(css.encode()).hexdigest()[:32])
    # Cached, but revalidated on every page: an admin's colour change shows at once,
    # and an unchanged sheet costs a 304.
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.route("/tags")
@cached_for_visitors
def tags():
    name_filter = request.args.get("q", "")
    page = listing.list_tags(
        current_user, name_filter=name_filter, page=page_number(), per_page=TAGS_PER_PAGE
    )
    return render_template("forum/tags.html", page=page, name_filter=name_filter)


@bp.route("/tags/<name>")
@cached_for_visitors
def tag(name):
    tag = db.first_or_404(db.select(Tag).filter_by(name=name))
    filters = ThreadFilters.parse(request.args)
    return render_template(
        "forum/tag.html", tag=tag, page=_threads(filters, tag=tag), filters=filters
    )


@bp.route("/search")
@limiter.limit(lambda: current_app.config["RATELIMIT_SEARCH"])
@cached_for_visitors
def search():
    args = request.args
    results = search_posts(
        args.get("q", ""),
        viewer=current_user,
        tag=args.get("tag") or None,
        category=args.get("category") or None,
        kind=args.get("kind") or None,
        answered=ANSWERED_ARGS.get(args.get("answered", "")),
        page=page_number(),
        per_page=SEARCH_PER_PAGE,
    )
    return render_template(
        "forum/search.html",
        results=results,
        categories=listing.visible_categories(current_user),
    )


def _category_manager(view):
    """Admins only: anonymous visitors go to log in, others get 403, including when the
    service itself refuses."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        try:
            category_admin.require_manager(current_user)
            return view(*args, **kwargs)
        except PermissionDenied:
            abort(403)

    return wrapper


def _show_error(form, error: ValidationError) -> None:
    field = getattr(form, error.field)
    field.errors = [*field.errors, error.message]


@bp.route("/admin/categories")
@_category_manager
def admin_categories():
    return render_template(
        "forum/admin/categories.html",
        categories=listing.categories_in_order(),
        counts=listing.category_thread_counts(current_user),
    )


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@_category_manager
def new_category():
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = category_admin.create_category(current_user, form.to_input())
        except ValidationError as error:
            _show_error(form, error)
        else:
            flash(f"Category “{category.name}” created.", "success")
            return redirect(url_for("browse.admin_categories"))
    return render_template("forum/admin/category_form.html", form=form, category=None)


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@_category_manager
def edit_category(category_id):
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            category_admin.update_category(current_user, category, form.to_input())
        except ValidationError as error:
            _show_error(form, error)
        else:
            flash(f"Category “{category.name}” saved.", "success")
            return redirect(url_for("browse.admin_categories"))
    return render_template("forum/admin/category_form.html", form=form, category=category)


@bp.route("/admin/categories/<int:category_id>/move", methods=["POST"])
@_category_manager
def move_category(category_id):
    category = db.get_or_404(Category, category_id)
    form = MoveCategoryForm()
    if form.validate_on_submit():
        category_admin.move_category(current_user, category, form.direction.data)
        flash(f"Moved “{category.name}” {form.direction.data}.", "success")
    else:
        flash("That move was not understood; use the up and down buttons.", "error")
    return redirect(url_for("browse.admin_categories"))
