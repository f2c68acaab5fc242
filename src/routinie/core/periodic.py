"""Periodic jobs on the task queue: a job re-queues itself for its next run, and a start (the
server, a command) queues it only when no run is already waiting.

Several app servers may start at once, each queueing every periodic job: the look for a waiting
run and the queueing are one transaction, taken by one process at a time (on PostgreSQL an
advisory lock keyed by the task; on SQLite the transaction holds the write lock from its start),
so a job is queued once, never once per server.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def is_waiting(task: Any) -> bool:
    """Whether a run of `task` is queued and not started yet."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def queue_unless_waiting(task: Any, *, delay: timedelta = timedelta(0)) -> bool:
    """Queue `task` to run after `delay` unless a run is already waiting; True when queued.
    One process at a time looks and queues (see above)."""
    with one_at_a_time(task.module_path):
        if is_waiting(task):
            return False
        task.using(run_after=timezone.now() + delay).enqueue()
    return True


@contextmanager
def one_at_a_time(key: str) -> Iterator[None]:
    """A transaction that no other process holding `key` runs beside: for a look at the queue
    and the queueing that depends on it. On PostgreSQL an advisory lock keyed by `key`, held
    until the transaction ends; on SQLite the transaction begins IMMEDIATE (see settings) and
    holds the write lock from its start."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        yield


# --- Jobs started with the server -------------------------------------------------------------
# Each app registers its periodic jobs from its own `apps.py` (core never imports an app); the
# server (`routinie serve`) queues every registered job when it starts.
_STARTERS: dict[str, Callable[[], bool]] = {}


def register_periodic(name: str, start: Callable[[], bool]) -> None:
    """Register `start` (queues the job's first run unless one waits; True when queued)."""
    _STARTERS[name] = start


def start_periodic_jobs() -> list[str]:
    """Queue the first run of every registered job that has none waiting; their names."""
    return [name for name, start in sorted(_STARTERS.items()) if start()]
