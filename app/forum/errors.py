"""Domain errors of the forum services.

Services raise these; views turn them into a field error on the form or an HTTP status.
Each carries its own status code, so the mapping lives with the error and not in every view.
"""


class ForumError(Exception):
    """Base class: a message fit to show to the person who caused it."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ForumError):
    """The input is well-formed but not acceptable; `field` names the form field to blame."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(ForumError):
    status_code = 403


class MembersOnly(PermissionDenied):
    """Member-only content asked for by a non-member: the page shows a teaser (the
    title, never the body) and the way to become a member."""

    def __init__(self, message: str, *, thread=None, category=None) -> None:
        super().__init__(message)
        self.thread = thread
        self.category = category if category is not None else getattr(thread, "category", None)


class NotFound(ForumError):
    status_code = 404


class Conflict(ForumError):
    """The action does not fit the current state (a deleted post, a closed thread)."""

    status_code = 409
