"""A periodic job is queued once however many servers start at once (`routinie serve` on each
app server queues the first run of every periodic job that has none waiting)."""

import threading

import pytest
from django.db import connections
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from routinie.core.periodic import queue_unless_waiting

STARTS = 8  # servers starting together


@task()
def nightly() -> None:
    """A periodic job of this test (only queued, never run)."""


@pytest.mark.django_db(transaction=True)
def test_servers_starting_together_queue_a_periodic_job_once():
    start, queued, lock = threading.Barrier(STARTS), [], threading.Lock()

    def server_start() -> None:
        try:
            start.wait()
            if queue_unless_waiting(nightly):
                with lock:
                    queued.append(1)
        finally:
            connections.close_all()  # this thread's own connection

    for _ in range(3):  # rounds: the race, when there is one, shows in one of them
        threads = [threading.Thread(target=server_start) for _ in range(STARTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        waiting = DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY")
        assert waiting.count() == 1
        assert len(queued) == 1
        waiting.delete()
        queued.clear()
