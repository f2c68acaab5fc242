"""Tasks a dead worker left running are taken again: heartbeats and the reclaim rule.

django_tasks_db marks a task RUNNING when a worker claims it and only the same worker ever
marks it finished, so a worker killed mid-task (kill -9, out of memory, a lost machine) leaves
it RUNNING for good. Here the worker running a task writes a heartbeat for it every
`TASK_HEARTBEAT_SECONDS` (a `TaskHeartbeat` row, from a thread of the worker, see
`task_worker`), and every worker regularly reclaims what is lost:

- a RUNNING task whose last sign of life (its heartbeat, or its start when it has none yet) is
  older than `TASK_LOST_AFTER_SECONDS` is lost;
- a lost task that has run fewer than `TASK_MAX_ATTEMPTS` times (its `worker_ids`, one per
  claim) is put back to READY, and the next free worker runs it again;
- one that has used up its attempts is marked FAILED (`WorkerLost`) and django-tasks'
  `task_finished` signal is sent, as for any failure, so its app can clean up.

Each change is a conditional UPDATE (still RUNNING, still the same start, still no fresh
heartbeat), so several workers may reclaim at once and a task is reclaimed once. Every task is
written to be safe to run twice (docs/operations.md lists why each is), because a worker that
was only frozen, not dead, may still finish the run that was given to another.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from routinie.core.models import TaskHeartbeat

logger = logging.getLogger(__name__)

RUNNING = TaskResultStatus.RUNNING
Tasks = QuerySet[DBTaskResult[Any, Any]]


class WorkerLost(Exception):
    """The worker running the task stopped (no heartbeat), as many times as it may run."""


@dataclass(frozen=True)
class Reclaimed:
    requeued: int = 0
    failed: int = 0


# --- Heartbeats (written by the worker running the task) ---------------------------------------
def hold(task_id: UUID | str, worker_id: str) -> None:
    """The worker starts running the task: its first heartbeat."""
    TaskHeartbeat.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id[:64], "beat_at": timezone.now()}
    )


def beat(task_id: UUID | str, worker_id: str) -> bool:
    """The worker is still running the task; False when the task is no longer its own."""
    mine = TaskHeartbeat.objects.filter(task_id=task_id, worker_id=worker_id[:64])
    return mine.update(beat_at=timezone.now()) == 1


def release(task_id: UUID | str, worker_id: str) -> None:
    """The worker is done with the task (finished, failed or given back)."""
    TaskHeartbeat.objects.filter(task_id=task_id, worker_id=worker_id[:64]).delete()


# --- The reclaim rule --------------------------------------------------------------------------
def lost_tasks(now: datetime, lost_after: timedelta) -> Tasks:
    """RUNNING tasks with no sign of life since `now - lost_after`."""
    cutoff = now - lost_after
    fresh = TaskHeartbeat.objects.filter(task_id=OuterRef("pk"), beat_at__gte=cutoff)
    return DBTaskResult.objects.filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True), status=RUNNING
    ).exclude(Exists(fresh))


def reclaim_lost_tasks(
    *,
    now: datetime | None = None,
    lost_after: timedelta | None = None,
    max_attempts: int | None = None,
) -> Reclaimed:
    """Queue again (or, past their attempts, fail) the tasks dead workers left RUNNING."""
    now = now or timezone.now()
    lost_after = lost_after or timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    max_attempts = max_attempts or settings.TASK_MAX_ATTEMPTS
    requeued = failed = 0
    candidates = lost_tasks(now, lost_after).values_list("pk", "started_at", "worker_ids")
    for pk, started_at, worker_ids in list(candidates):
        still_lost = lost_tasks(now, lost_after).filter(pk=pk, started_at=started_at)
        attempts = len(worker_ids or [])
        if attempts < max_attempts:
            if still_lost.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "Task %s was left running by a stopped worker: queued again (run %d of %d).",
                    pk,
                    attempts + 1,
                    max_attempts,
                )
        elif _give_up(still_lost, now, attempts, lost_after):
            failed += 1
            logger.error("Task %s: its worker stopped %d times; marked failed.", pk, attempts)
            _announce_failure(pk)
        TaskHeartbeat.objects.filter(task_id=pk).delete()
    return Reclaimed(requeued, failed)


def _give_up(still_lost: Tasks, now: datetime, attempts: int, lost_after: timedelta) -> bool:
    reason = (
        f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this task "
        f"stopped {attempts} time(s) (no heartbeat for {lost_after.total_seconds():g} s)\n"
    )
    return bool(
        still_lost.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=reason,
        )
    )


def _announce_failure(pk: Any) -> None:
    """django-tasks' `task_finished`, as the worker sends it for any failed task."""
    row = DBTaskResult.objects.filter(pk=pk).first()
    if row is None:
        return
    try:
        result = row.task_result
        sender = type(result.task.get_backend())
    except (ImportError, SuspiciousOperation):  # the task's code is gone: nobody listens
        return
    task_finished.send(sender=sender, task_result=result)
