"""Page guards shared by the staff areas: log in first, then the domain's own rule."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def allowed_by(rule: Callable[[object], bool]):
    """A view decorator: anonymous people go to the login page, and people `rule` refuses
    get 403. The services check the same rule again before writing."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
