from flask import Blueprint, render_template

bp = Blueprint("browse", __name__)


@bp.route("/")
def home():
    return render_template("base.html")


@bp.route("/threads")
def threads():
    return "threads"


@bp.route("/categories")
def categories():
    return "categories"


@bp.route("/c/<slug>")
def category(slug):
    return slug


@bp.route("/categories.css")
def category_css():
    return "", 200, {"Content-Type": "text/css"}


@bp.route("/tags")
def tags():
    return "tags"


@bp.route("/tags/<name>")
def tag(name):
    return name


@bp.route("/search")
def search():
    return "search"
