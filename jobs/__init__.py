"""Scheduled jobs: the registry and the scheduler arrive with the insights issue (#6)."""
