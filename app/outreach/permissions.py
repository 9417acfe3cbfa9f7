"""Who may see what of outreach beyond their own email settings: decided here."""


def can_read_report(user) -> bool:
    """The uplift report shows campaign results across everyone: moderators and admins."""
    return bool(user is not None and user.is_authenticated and not user.is_deleted
                and user.is_staff)
