"""The one e-mail a task run sends, sent once however often the queue runs it.

A worker can die after it sent a task's e-mail and before the queue recorded the task as done;
the queue then runs the task again (`task_leases`). A task that sends one e-mail per run (a
confirmation link, a reset link) sends it through `send_once_per_run`: the message is recorded
under the run's task id as it is sent (`mail_once`: recorded before the SMTP server is told to
deliver it), and a repeated run that finds the record sends nothing and makes nothing (a reset
link is only made when its e-mail will go).
"""

from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from routinie.core.mail_once import Outgoing, send_each_once
from routinie.core.models import TaskMail


def already_sent(task_id: Any) -> bool:
    return TaskMail.objects.filter(task_id=task_id).exists()


def send_once_per_run(task_id: Any, build: Callable[[], EmailMessage]) -> bool:
    """Send the message `build()` makes unless this run (task id) already sent it; True when
    sent now. `build` is called only when the message will be sent."""
    if already_sent(task_id):
        return False
    recorded = False

    def record() -> bool:
        nonlocal recorded
        try:
            with transaction.atomic():
                TaskMail.objects.create(task_id=task_id, sent_at=timezone.now())
        except IntegrityError:  # another run of the same task got there first
            return False
        recorded = True
        return True

    def unrecord() -> None:
        TaskMail.objects.filter(task_id=task_id).delete()

    try:
        return send_each_once([Outgoing(build(), record, unrecord)]) == 1
    except Exception:
        if recorded:  # recorded, then the connection failed before delivery: a re-run retries
            unrecord()
        raise
