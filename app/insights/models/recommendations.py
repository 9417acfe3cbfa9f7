"""Stored results of the recommendations job."""
