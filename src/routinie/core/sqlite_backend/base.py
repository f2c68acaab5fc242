"""Django's SQLite backend, with write transactions that queue for their turn.

SQLite lets one transaction write at a time; with `transaction_mode: IMMEDIATE` every
transaction takes the write lock at BEGIN. When another connection holds it, SQLite's busy
handler sleeps and retries (1, 2, 5, 10 … 100 ms), so writers that meet wait far longer than the
writes take, and a sleeping writer keeps missing its turn while another process's threads pass
the lock among themselves (measured without the turns: a p99 of 400 ms for 2 ms writes under 8
clients; with them it was 100-470 ms on this noisy machine, so the case for them is the queue
itself, not a figure).

Here a transaction first takes its process's turn (a thread lock), then the database's turn (an
exclusive `flock` on a file beside the database, which the kernel hands to the next waiting
process the moment it is released, and frees when a process dies). Both are only ever a queue in
front of SQLite's own lock: a thread that waited `timeout` seconds (SQLite's, from OPTIONS) for
its process's turn goes ahead without them, and SQLite decides as before. Another program on the
same file (the sqlite3 shell, a backup) meets SQLite's lock only, as before.
"""

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

_PROCESS_TURN = threading.Lock()
_TURN_FILES: dict[str, int] = {}  # "pid:database path" -> this process's lock-file descriptor
_TURN_FILES_GUARD = threading.Lock()


def _after_fork_in_child() -> None:
    """A forked child starts with its own free turn, whatever its parent's threads held."""
    global _PROCESS_TURN, _TURN_FILES_GUARD
    _PROCESS_TURN = threading.Lock()
    _TURN_FILES_GUARD = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _turn_file(database: str) -> int | None:
    """This process's descriptor of `database`'s lock file (None for an in-memory database)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    with _TURN_FILES_GUARD:
        pid_key = f"{os.getpid()}:{database}"  # a forked child opens its own description
        if pid_key not in _TURN_FILES:
            _TURN_FILES[pid_key] = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
        return _TURN_FILES[pid_key]


class DatabaseWrapper(base.DatabaseWrapper):
    _turn: int | None = None  # the lock file held (-1: the process turn only)

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if _PROCESS_TURN.acquire(timeout=timeout):
            descriptor = _turn_file(str(self.settings_dict["NAME"]))
            if descriptor is not None:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._turn = -1 if descriptor is None else descriptor
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._end_turn()
            raise

    def _end_turn(self) -> None:
        if self._turn is None:
            return
        if self._turn >= 0:
            fcntl.flock(self._turn, fcntl.LOCK_UN)
        self._turn = None
        _PROCESS_TURN.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._end_turn()
