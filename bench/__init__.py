"""Benchmarks and load scripts, with the data generators they need (see bench/README.md)."""
