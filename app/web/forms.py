"""What the domain forms share: they check shape, the services check meaning."""

from flask_wtf import FlaskForm

from app.forum.errors import ForumError


def int_or_none(value) -> int | None:
    """A select's coerce that turns anything not a number into None, for the service to refuse."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ServiceForm(FlaskForm):
    """A form whose service raises `ValidationError(field, message)`: `apply_error` puts the
    message on that field (or at the top of the form, as for any other refusal such as a
    `Conflict`), so the page re-renders with what was typed and the message next to it."""

    def apply_error(self, error: ForumError) -> None:
        field = getattr(self, getattr(error, "field", ""), None)
        if field is None or not hasattr(field, "errors"):
            self.form_errors.append(error.message)
        else:
            field.errors = [*field.errors, error.message]
