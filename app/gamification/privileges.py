"""Who holds which privilege: decided by `can(user, slug)` and nowhere else.

Points unlock privileges at the thresholds in `levels.PRIVILEGES`; moderators and
admins hold all of them. Services call `require` before they write, so a hidden button
is never the only guard.
"""

from app.forum.errors import PermissionDenied
from app.gamification import levels


def can(user, privilege: str) -> bool:
    if privilege not in levels.PRIVILEGES_BY_SLUG:
        raise ValueError(f"unknown privilege {privilege!r}")
    if user is None or not user.is_authenticated or user.is_deleted:
        return False
    if user.is_staff:
        return True
    return levels.has_privilege(user.points, privilege)


def require(user, privilege: str) -> None:
    """Raise PermissionDenied, saying how many points unlock it, unless `user` can."""
    if can(user, privilege):
        return
    needed = levels.PRIVILEGES_BY_SLUG[privilege]
    raise PermissionDenied(
        f"{needed.name} unlocks at {needed.points:,} points"
        + (f"; you have {user.points:,}." if user is not None and user.is_authenticated else ".")
    )
