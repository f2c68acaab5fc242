"""Durable files: what the backups and the erasure journal both need."""

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush `path` (a file, or a directory so that a rename or a new entry in it lasts) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
