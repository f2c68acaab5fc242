"""Core's one table: the heartbeat of each running background task (see `task_leases`)."""

from django.db import models


class TaskHeartbeat(models.Model):
    """The last sign of life of the worker running a task of the queue.

    One row per running task, keyed by the task's id (django_tasks_db's `DBTaskResult`, no
    foreign key: the queue's rows come and go on their own); deleted when the task ends."""

    task_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Heartbeat of task {self.task_id}"
