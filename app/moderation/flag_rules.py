"""What a flag may say and when flags hide a post by themselves: pure rules."""

from collections.abc import Iterable

REASONS: dict[str, str] = {
    "spam": "Spam",
    "rude": "Rude or abusive",
    "off_topic": "Off-topic",
    "duplicate": "Duplicate",
    "other": "Something else",
}
# Flags that, from enough trusted people, hide a post before a moderator has looked.
HARMFUL_REASONS = frozenset({"spam", "rude"})
AUTO_HIDE_FLAGS = 3
AUTO_HIDE_MIN_LEVEL = 3
MAX_TEXT_LENGTH = 500


def hides_at_once(flags: Iterable[tuple[str, int]]) -> bool:
    """Whether open flags, as (reason, flagger's level), hide the post until a moderator
    decides: three spam or rude flags from people at level 3 or above. Lower levels
    still flag; their flags only wait in the queue, so a few new accounts cannot
    silence anyone."""
    trusted = sum(1 for reason, level in flags
                  if reason in HARMFUL_REASONS and level >= AUTO_HIDE_MIN_LEVEL)
    return trusted >= AUTO_HIDE_FLAGS
