"""Course pages: catalogue, course, lesson, certificate, paths, and the staff editors."""


from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.courses import catalogue, discussion, editing, enrolment, paths, reviews
from app.courses.forms import CourseForm, LessonForm, PathForm, ReviewForm, typed_steps
from app.courses.permissions import can_edit, can_view_course
from app.courses.progress import LEVELS
from app.forum.errors import MembersOnly, ValidationError
from app.forum.listing import ThreadFilters
from app.insights.recommendation_reads import courses_also_taken
from app.web.access import allowed_by
from app.web.pagination import page_number
from app.web.visitor_cache import cached_for_visitors

bp = Blueprint("courses", __name__)


def _viewer():
    return current_user._get_current_object()


_staff_only = allowed_by(can_edit)


@bp.app_template_global()
def lesson_of_thread(thread):
    """The lesson a forum thread discusses, when the viewer may see its course (one query)."""
    lesson = discussion.lesson_of_thread(thread.id)
    return lesson if lesson is not None and can_view_course(current_user, lesson.course) else None


@bp.app_template_global()
def course_of_thread(thread):
    """The course a question is tagged with, when the viewer may see the course."""
    course = thread.course if thread.course_id else None
    return course if course is not None and can_view_course(current_user, course) else None


@bp.get("/courses")
@cached_for_visitors
def catalogue_page():
    level = request.args.get("level") or None
    tag = request.args.get("tag") or None
    return render_template(
        "courses/catalogue.html", page=catalogue.catalogue_page(level=level, tag=tag,
                                                                page=page_number()),
        tags=catalogue.catalogue_tags(), levels=LEVELS, level=level, tag=tag,
    )


def _render_course(slug: str, form: ReviewForm | None = None, status: int = 200):
    page = catalogue.course_page(_viewer(), slug)
    if form is None:  # the page writes its own form token, only where it shows the form
        form = ReviewForm(obj=page.my_review, meta={"csrf": False})
    return render_template("courses/course.html", page=page, course=page.course,
                           form=form, also_took=courses_also_taken(page.course.id)), status


@bp.get("/courses/<slug>")
@cached_for_visitors
def course(slug: str):
    return _render_course(slug)


@bp.get("/courses/<slug>/questions")
def questions(slug: str):
    course = catalogue.visible_course(_viewer(), slug)
    filters = ThreadFilters.parse(request.args, default_sort="newest")
    return render_template(
        "courses/questions.html", course=course, filters=filters,
        page=catalogue.course_questions(_viewer(), course, filters, page=page_number(),
                                        per_page=current_app.config["THREADS_PER_PAGE"]),
    )


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    try:
        enrolment.enrol(_viewer(), slug)
    except MembersOnly as error:
        flash(error.message, "warning")
        return redirect(url_for("billing.pricing"))
    return redirect(url_for("courses.resume", slug=slug), 303)


@bp.get("/courses/<slug>/resume")
def resume(slug: str):
    lesson = enrolment.resume_target(_viewer(), slug)
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=lesson.slug))


@bp.post("/courses/<slug>/review")
@login_required
def review(slug: str):
    form = ReviewForm()
    try:
        reviews.save_review(_viewer(), slug, rating=form.rating.data,
                            comment=form.comment.data or "")
    except ValidationError as error:
        form.apply_error(error)
        return _render_course(slug, form, 422)
    flash("Thank you: your review is saved.", "success")
    return redirect(url_for("courses.course", slug=slug, _anchor="reviews"), 303)


@bp.get("/courses/<slug>/certificate")
@login_required
def certificate(slug: str):
    enrollment = enrolment.certificate(_viewer(), slug)
    return render_template("courses/certificate.html", enrollment=enrollment,
                           course=enrollment.course)


@bp.get("/lessons/<int:lesson_id>")
def lesson_by_id(lesson_id: int):
    """The lasting address of a lesson (used in its discussion thread): it follows renames."""
    lesson = catalogue.visible_lesson(_viewer(), lesson_id)
    return redirect(url_for("courses.lesson", slug=lesson.course.slug, lesson_slug=lesson.slug))


@bp.get("/courses/<slug>/<lesson_slug>")
def lesson(slug: str, lesson_slug: str):
    page = enrolment.view_lesson(_viewer(), slug, lesson_slug)
    return render_template("courses/lesson.html", page=page, course=page.course,
                           lesson=page.lesson), 403 if page.locked else 200


@bp.post("/courses/<slug>/<lesson_slug>/done")
@login_required
def mark_done(slug: str, lesson_slug: str):
    try:
        done = enrolment.mark_done(_viewer(), slug, lesson_slug)
    except MembersOnly as error:
        flash(error.message, "warning")
        return redirect(url_for("billing.pricing"))
    if done.course_completed:
        flash("You finished the course! Your certificate is ready.", "success")
        return redirect(url_for("courses.certificate", slug=slug), 303)
    flash(f"“{done.lesson.title}” is done.", "success")
    target = done.next or done.lesson
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=target.slug), 303)


@bp.get("/paths")
def paths_index():
    return render_template("courses/paths.html", paths=paths.published_paths(_viewer()))


@bp.get("/paths/<slug>")
def path(slug: str):
    return render_template("courses/path.html", page=paths.path_page(_viewer(), slug))


# -- staff -------------------------------------------------------------------------


@bp.get("/admin/courses")
@_staff_only
def admin_courses():
    return render_template("courses/admin/courses.html",
                           courses=editing.all_courses(_viewer()),
                           paths=paths.published_paths(_viewer()))


@bp.route("/admin/courses/new", methods=["GET", "POST"])
@_staff_only
def new_course():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            created = editing.create_course(_viewer(), form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Course “{created.title}” created as a draft; now add its lessons.", "success")
            return redirect(url_for("courses.admin_lessons", course_id=created.id), 303)
    return render_template("courses/admin/course_form.html", form=form, course=None)


@bp.route("/admin/courses/<int:course_id>/edit", methods=["GET", "POST"])
@_staff_only
def edit_course(course_id: int):
    target = editing.get_course(course_id)
    form = CourseForm(obj=target, tag_names=" ".join(tag.name for tag in target.tags))
    if form.validate_on_submit():
        try:
            editing.update_course(_viewer(), target, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Course “{target.title}” saved.", "success")
            return redirect(url_for("courses.admin_courses"), 303)
    return render_template("courses/admin/course_form.html", form=form, course=target)


@bp.post("/admin/courses/<int:course_id>/publish")
@_staff_only
def publish(course_id: int):
    target = editing.get_course(course_id)
    published = request.form.get("published") == "1"
    try:
        editing.set_published(_viewer(), target, published)
    except ValidationError as error:
        flash(error.message, "error")
    else:
        flash(f"“{target.title}” is {'published' if published else 'a draft again'}.", "success")
    return redirect(url_for("courses.admin_courses"), 303)


@bp.route("/admin/courses/<int:course_id>/lessons", methods=["GET", "POST"])
@_staff_only
def admin_lessons(course_id: int):
    """The lesson list; POST saves the positions typed in it."""
    target = editing.get_course(course_id)
    if request.method == "POST":
        positions = {}
        for lesson in target.lessons:
            value = request.form.get(f"position-{lesson.id}", type=int)
            if value is not None:
                positions[lesson.id] = value
        editing.reorder_lessons(_viewer(), target, positions)
        flash("Lesson order saved.", "success")
        return redirect(url_for("courses.admin_lessons", course_id=course_id), 303)
    return render_template("courses/admin/lessons.html", course=target)


@bp.route("/admin/courses/<int:course_id>/lessons/new", methods=["GET", "POST"])
@_staff_only
def new_lesson(course_id: int):
    target = editing.get_course(course_id)
    form = LessonForm()
    if form.validate_on_submit():
        try:
            created = editing.create_lesson(_viewer(), target, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Lesson “{created.title}” added, with its discussion thread.", "success")
            return redirect(url_for("courses.admin_lessons", course_id=course_id), 303)
    return render_template("courses/admin/lesson_form.html", form=form, course=target,
                           lesson=None)


@bp.route("/admin/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@_staff_only
def edit_lesson(lesson_id: int):
    target = editing.get_lesson(lesson_id)
    form = LessonForm(obj=target)
    if form.validate_on_submit():
        try:
            editing.update_lesson(_viewer(), target, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Lesson “{target.title}” saved.", "success")
            return redirect(url_for("courses.admin_lessons", course_id=target.course_id), 303)
    return render_template("courses/admin/lesson_form.html", form=form, course=target.course,
                           lesson=target)


@bp.route("/admin/paths/new", methods=["GET", "POST"])
@_staff_only
def new_path():
    form, steps = PathForm(), typed_steps(request.form)
    if form.validate_on_submit():
        try:
            created = paths.create_path(_viewer(), form.to_input(steps))
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Path “{created.title}” created.", "success")
            return redirect(url_for("courses.admin_courses"), 303)
    return _render_path_form(form, None, steps)


def _render_path_form(form: PathForm, path, steps: dict[str, str]):
    return render_template("courses/admin/path_form.html", form=form, path=path, steps=steps,
                           courses=editing.all_courses(_viewer()))


@bp.route("/admin/paths/<int:path_id>/edit", methods=["GET", "POST"])
@_staff_only
def edit_path(path_id: int):
    target = paths.get_path(path_id)
    form = PathForm(obj=target)
    steps = typed_steps(request.form) if request.method == "POST" else {
        step.course.slug: str(number) for number, step in enumerate(target.steps, start=1)}
    if form.validate_on_submit():
        try:
            paths.update_path(_viewer(), target, form.to_input(steps))
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Path “{target.title}” saved.", "success")
            return redirect(url_for("courses.admin_courses"), 303)
    return _render_path_form(form, target, steps)
