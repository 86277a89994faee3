"""Benchmarks: they print tables of timings as ratios against a baseline measured in the same
run, and assert nothing about time. Run with ``make bench`` or ``python -m bench``."""
