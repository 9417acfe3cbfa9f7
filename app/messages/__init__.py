"""Private messages between members, and conversations with the moderators."""
