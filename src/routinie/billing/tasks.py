"""Billing's background job: once a day, subscriptions whose renewal failed longer ago than
the grace period fall back to the free plan (every entry kept)."""

from datetime import timedelta

from django_tasks import task

from routinie.core.periodic import queue_unless_waiting

DAY = timedelta(days=1)


@task()
def end_grace_periods() -> int:
    """Downgrade every past-due subscription past its grace; then queue tomorrow's run."""
    from routinie.billing.services import end_grace_periods as end

    downgraded = end()
    schedule_grace_check(delay=DAY)
    return downgraded


def schedule_grace_check(*, delay: timedelta = timedelta(0)) -> bool:
    return queue_unless_waiting(end_grace_periods, delay=delay)
