"""Who may do what in moderation: decided here, checked by views and services alike."""


def is_moderator(user) -> bool:
    """Moderators and admins."""
    return bool(user is not None and user.is_authenticated and not user.is_deleted
                and user.is_staff)


def can_read_audit_log(user) -> bool:
    return is_moderator(user)


def can_read_console(user) -> bool:
    return is_moderator(user)
