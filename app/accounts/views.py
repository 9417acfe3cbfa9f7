from flask import Blueprint

from app.accounts.models import User
from app.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@bp.route("/login")
def login():
    return "login"


@bp.route("/register")
def register():
    return "register"


@bp.route("/logout", methods=["POST"])
def logout():
    return "logout"


@bp.route("/settings")
def settings():
    return "settings"


@bp.route("/u/<username>")
def profile(username):
    return username
