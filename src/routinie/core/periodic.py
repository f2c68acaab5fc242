"""Periodic jobs on the task queue: a job re-queues itself for its next run, and a start (the
server, a command) queues it only when no run is already waiting."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def is_waiting(task: Any) -> bool:
    """Whether a run of `task` is queued and not started yet."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def queue_unless_waiting(task: Any, *, delay: timedelta = timedelta(0)) -> bool:
    """Queue `task` to run after `delay` unless a run is already waiting; True when queued."""
    if is_waiting(task):
        return False
    task.using(run_after=timezone.now() + delay).enqueue()
    return True


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
