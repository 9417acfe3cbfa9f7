"""Who may see what of outreach beyond their own email settings: decided here."""

from app.moderation.permissions import is_moderator


def can_read_report(user) -> bool:
    """The uplift report shows campaign results across everyone: moderators and admins."""
    return is_moderator(user)
