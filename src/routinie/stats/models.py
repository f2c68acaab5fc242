"""Statistics tables."""
