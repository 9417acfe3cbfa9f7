"""Deterministic demo data for `make run` and for benchmarks."""
