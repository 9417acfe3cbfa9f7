"""Competitions: CTF-style challenge sets and prediction contests with public/private boards."""
