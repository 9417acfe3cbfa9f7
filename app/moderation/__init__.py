"""Moderation: the audit log of staff actions (flags, the review queue and the console follow)."""
