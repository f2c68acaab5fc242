"""The task worker (`routinie db_worker`): django_tasks_db's worker, plus heartbeats and the
reclaim of tasks dead workers left running (`task_leases`).

At start it reclaims what is lost, then sends `worker_starting` so apps can clean up what a
dead run left outside the database (privacy removes half-written export files). While it runs
a task, a thread writes the task's heartbeat every `TASK_HEARTBEAT_SECONDS`; the same thread
reclaims lost tasks on each beat, whether a task runs or not.
"""

import logging
import threading
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.dispatch import Signal
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from routinie.core import task_leases

logger = logging.getLogger(__name__)

# Sent (sender: the worker's class) when a worker starts, after it reclaimed lost tasks.
worker_starting = Signal()


class LeaseKeeper(threading.Thread):
    """Beats for the task the worker runs, and reclaims lost tasks, every `every` seconds."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name="task-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self._task_id: Any = None
        self._guard = threading.Lock()
        self._stopping = threading.Event()

    def watch(self, task_id: Any) -> None:
        with self._guard:
            self._task_id = task_id

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.every):
                self.tick()
        finally:
            connections.close_all()  # this thread's own connections

    def tick(self) -> None:
        with self._guard:
            task_id = self._task_id
        try:
            close_old_connections()
            if task_id is not None:
                task_leases.beat(task_id, self.worker_id)
            task_leases.reclaim_lost_tasks()
        except DatabaseError as error:  # the next beat tries again
            name = type(error).__name__
            logger.warning("Task heartbeat: the database did not answer (%s).", name)


class HeartbeatWorker(Worker):
    """django_tasks_db's worker with a heartbeat for its task and the reclaim of lost ones."""

    def run(self) -> None:
        start_up(type(self))
        keeper = LeaseKeeper(self.worker_id, settings.TASK_HEARTBEAT_SECONDS)
        self.keeper = keeper
        keeper.start()
        try:
            super().run()
        finally:
            keeper.stop()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        task_id = db_task_result.pk
        try:
            task_leases.hold(task_id, self.worker_id)
        except DatabaseError as error:  # runs without a heartbeat: may be taken again, later
            logger.warning("Task heartbeat not written (%s).", type(error).__name__)
        self.keeper.watch(task_id)
        try:
            super().run_task(db_task_result)
        finally:
            self.keeper.watch(None)
            with suppress(DatabaseError):  # a stale heartbeat goes with the next reclaim
                task_leases.release(task_id, self.worker_id)


def start_up(sender: type) -> None:
    """What a starting worker does first: reclaim lost tasks, then let apps clean up."""
    reclaimed = task_leases.reclaim_lost_tasks()
    if reclaimed.requeued or reclaimed.failed:
        logger.warning(
            "Worker start: %d lost task(s) queued again, %d failed.",
            reclaimed.requeued,
            reclaimed.failed,
        )
    worker_starting.send(sender=sender)
