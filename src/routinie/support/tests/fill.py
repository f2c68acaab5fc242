"""Rows of the support app for one user, for the export and erasure tests (tests/fill.py)."""

from typing import Any


def fill(user: Any, tag: str) -> list[str]:
    """Create this app's rows for `user`, each marked with `tag`; return the markers."""
    return []
