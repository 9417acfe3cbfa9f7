"""What a silenced member may not do: write anything others see, or take part.

Silence is read-only mode with an end date; it runs out by itself, since `is_silenced`
compares with the clock. Posting, editing, votes, flags, accepting answers, bounties,
close votes, course reviews and competition entries all refuse it; reading, private
progress (enrolling, lessons done), the profile and a message to the moderators (the
way to appeal) stay open. Services call `require_not_silenced` first, so the person is
told why and until when instead of meeting a vaguer refusal further on; pages that
explain a missing button use `silence_problem`'s message.
"""

from app.competitions.lifecycle import when
from app.forum.errors import PermissionDenied


def silence_problem(user) -> PermissionDenied | None:
    """The refusal a silenced `user` meets (None when they may write)."""
    if user is None or not user.is_authenticated or not user.is_silenced:
        return None
    return PermissionDenied(
        f"Your account is silenced until {when(user.silenced_until)}: you can read, "
        "but not post, vote, flag, review or take part in competitions until then.")


def require_not_silenced(user) -> None:
    problem = silence_problem(user)
    if problem is not None:
        raise problem
