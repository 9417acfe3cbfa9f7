"""Errors the competition services raise on top of the forum's shared ones.

Views map every `ForumError` to its status code and show its message; these two carry
what a page needs beyond the message: when to try again, and which row of a file.
"""

from datetime import datetime

from app.forum.errors import ForumError, ValidationError


class LimitReached(ForumError):
    """Too many attempts or submissions for now; `retry_at` (UTC) is when that changes."""

    status_code = 429

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class FileRejected(ValidationError):
    """An uploaded CSV that cannot be used; `row` is the first offending row (1 = header)
    or None when the problem is the whole file. A rejected file is never stored."""

    def __init__(self, message: str, *, row: int | None = None, field: str = "file") -> None:
        super().__init__(field, message)
        self.row = row
