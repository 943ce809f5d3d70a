"""Helpers of scripts/bench_api.py: load drivers (HTTP and SQL) and the hand-written SQL of each scenario."""
