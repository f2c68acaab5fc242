"""The reminder job on the task queue: every minute, send what is due, then queue the next run.
A run given `now` (an ISO 8601 instant: tests, an operator replaying a missed minute) uses it as
the clock and queues nothing."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from routinie.core.periodic import queue_unless_waiting

EVERY = timedelta(minutes=1)


@task()
def send_reminders(now: str | None = None) -> int:
    """Send every reminder due now (or at `now`); the periodic run queues the next one."""
    from routinie.tracking.reminders.sending import send_due_reminders

    moment = datetime.fromisoformat(now) if now else timezone.now()
    sent = send_due_reminders(now=moment)
    if now is None:
        schedule_reminders(delay=EVERY)
    return sent


def schedule_reminders(*, delay: timedelta = timedelta(0)) -> bool:
    return queue_unless_waiting(send_reminders, delay=delay)
