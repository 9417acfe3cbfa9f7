"""Who may do what in moderation: decided here, checked by views and services alike."""


def is_moderator(user) -> bool:
    """Moderators and admins."""
    return bool(user is not None and user.is_authenticated and not user.is_deleted
                and user.is_staff)


def can_read_audit_log(user) -> bool:
    return is_moderator(user)


def can_act_on(actor, target) -> bool:
    """Staff act on members; only admins act on moderators, and nobody on admins or
    on themselves (another admin's account is a matter for the command line)."""
    if not is_moderator(actor) or target is None or target.is_deleted or target.id == actor.id:
        return False
    if target.is_admin:
        return False
    return actor.is_admin or not target.is_staff


def can_change_role(actor, target) -> bool:
    """Admins make members moderators (or admins) and back; never their own role or
    another admin's, which stays with the command line."""
    return bool(is_moderator(actor) and actor.is_admin and target is not None
                and not target.is_deleted and target.id != actor.id and not target.is_admin)


def can_read_console(user) -> bool:
    return is_moderator(user)


# Console pages only admins read: money is not the moderators' business.
ADMIN_ONLY_PAGES = frozenset({"revenue"})


def can_read_revenue(user) -> bool:
    return is_moderator(user) and user.is_admin


def can_read_console_page(user, name: str) -> bool:
    return can_read_revenue(user) if name in ADMIN_ONLY_PAGES else can_read_console(user)
