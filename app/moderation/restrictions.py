"""What a silenced member may not do: post, answer, reply, edit, vote or flag.

Silence is read-only mode with an end date; it runs out by itself, since `is_silenced`
compares with the clock. Services call `require_not_silenced` first, so the person is
told why and until when instead of meeting a vaguer refusal further on.
"""

from app.competitions.lifecycle import when
from app.forum.errors import PermissionDenied


def require_not_silenced(user) -> None:
    if user is not None and user.is_authenticated and user.is_silenced:
        raise PermissionDenied(
            f"Your account is silenced until {when(user.silenced_until)}: you can read, "
            "but not post, vote or flag until then.")
