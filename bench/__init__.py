"""Routinie's benchmark: `make bench` (see bench/run.py and ../shared/design/performance.md)."""
