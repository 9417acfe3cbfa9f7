"""Shared view helpers: markdown, pagination, time display, security headers, errors."""
