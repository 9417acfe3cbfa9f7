"""An admin changes someone's role from their staff page: member, moderator or admin.

The command line can do the same (`flask users set-role`); both write the change through
`accounts.services.assign_role`, so the audit log reads alike. On the web the admin gives
a reason and the person hears of it in-app.
"""

from app.accounts.models import Role, User
from app.accounts.services import assign_role
from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.moderation.permissions import can_change_role
from app.moderation.user_actions import clean_reason
from app.notifications.services import notify

ROLES = {Role.MEMBER: "Member", Role.MODERATOR: "Moderator", Role.ADMIN: "Admin"}


def change_role(actor, target: User, role: str, *, reason: str) -> User:
    if not can_change_role(actor, target):
        raise PermissionDenied("Only admins change roles, and not their own or another admin's.")
    if role not in ROLES:
        raise ValidationError("role", "Choose a role.")
    reason = clean_reason(reason)
    if not assign_role(target, role, actor=actor, reason=reason):
        raise Conflict(f"{target.username} is already a {ROLES[role].lower()}.")
    notify(target.id, "moderation", actor_id=actor.id,
           data={"action": "set_role", "role": ROLES[role].lower(), "reason": reason})
    db.session.commit()
    return target
