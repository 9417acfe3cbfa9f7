"""Stored results of the communities job."""
