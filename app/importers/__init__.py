"""Bringing content in from other communities (Stack Exchange dumps)."""
