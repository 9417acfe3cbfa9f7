"""Who may write to whom: pure, so the rules read and test without a database."""

from app.gamification.levels import level_for

MIN_LEVEL = 2          # Learner: spam sign-ups rarely get this far
MAX_PEOPLE = 10        # a group conversation, the sender included
MAX_BODY = 10_000
MAX_SUBJECT = 200


def may_message_members(user) -> bool:
    """Level 2 and up, staff always; anyone may still write to staff."""
    return bool(user.is_staff or level_for(user.points).number >= MIN_LEVEL)
