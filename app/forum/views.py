from flask import Blueprint

bp = Blueprint("forum", __name__)


@bp.route("/ask")
def ask():
    return "ask"
