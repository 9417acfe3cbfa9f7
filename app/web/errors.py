"""Error pages, and JSON errors for JSON requests.

A 500 on a form post shows the text that was typed, so nothing the user wrote is lost.
"""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.forum.errors import ForumError

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have permission to do that."),
    404: ("Page not found", "We could not find that page. It may have been moved or deleted."),
    405: ("Method not allowed", "That action is not available here."),
    409: ("Conflict", "That conflicts with the current state; reload and try again."),
    413: ("Too large", "What you sent is larger than we accept: forms take up to 2 MB, and competition data files up to 20 MB."),
    429: ("Slow down", "You are doing that too often. Please wait a moment and try again."),
    500: ("Something went wrong", "An unexpected error happened on our side."),
}


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def _typed_text(code: int) -> dict[str, str]:
    """The longer text fields of a failed form post, shown back so they are not lost
    (not for a body too large to read: reading it again would only fail again)."""
    if request.method != "POST" or code == 413:
        return {}
    return {k: v for k, v in request.form.items() if k != "csrf_token" and len(v) > 20}


def _render(code: int, description: str | None = None):
    title, default = MESSAGES.get(code, ("Error", "Something went wrong."))
    message = description or default
    if wants_json():
        return jsonify(error=message, status=code), code
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=message, typed=_typed_text(code)
        ),
        code,
    )


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return _render(400, "Your form expired or was sent from another site. "
                            "Reload the page and send it again.")

    @app.errorhandler(ForumError)
    def _refused(error: ForumError):
        """A service's refusal that no view turned into a form error: its own status and text."""
        return _render(error.status_code, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if isinstance(error, InternalServerError):
            return _render(500)
        custom = error.description if error.description and _is_custom(error) else None
        return _render(error.code or 500, custom)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _render(500)


def _is_custom(error: HTTPException) -> bool:
    """True when the code that raised the error wrote its own description."""
    return error.description != type(error).description
