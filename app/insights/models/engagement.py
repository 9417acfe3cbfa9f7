"""Stored results of the engagement job."""
