"""Core's tables: the background tasks' heartbeats (`task_leases`) and e-mails (`task_mail`)."""

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


class TaskMail(models.Model):
    """The e-mail one run of a task sent, recorded as it is sent (`task_mail`): when the queue
    runs the task again (its worker died), the run finds it and sends nothing."""

    task_id = models.UUIDField(primary_key=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Mail of task {self.task_id}"
