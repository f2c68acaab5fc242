"""A periodic job is queued once however many servers start at once (`routinie serve` on each
app server queues the first run of every periodic job that has none waiting)."""

import pytest
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from tests.concurrency import at_once

from routinie.core.periodic import queue_unless_waiting

STARTS = 8  # servers starting together


@task()
def nightly() -> None:
    """A periodic job of this test (only queued, never run)."""


@pytest.mark.django_db(transaction=True)
def test_servers_starting_together_queue_a_periodic_job_once():
    queued = []

    def server_start() -> None:
        if queue_unless_waiting(nightly):
            queued.append(1)

    for _ in range(3):  # rounds: the race, when there is one, shows in one of them
        at_once(STARTS, server_start)
        waiting = DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY")
        assert waiting.count() == 1
        assert len(queued) == 1
        waiting.delete()
        queued.clear()
