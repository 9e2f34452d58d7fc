"""Benchmarks and the lecture-hall load test: `make bench` (see BENCHMARKS.md)."""
