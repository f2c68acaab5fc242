"""The reclaim rule (core/task_leases.py): a task a dead worker left RUNNING is queued again
once its heartbeat is older than TASK_LOST_AFTER_SECONDS, at most TASK_MAX_ATTEMPTS runs,
then failed; a live worker's task (fresh heartbeat) is never taken from it."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from tests.plugin import run_queued_tasks

from routinie.accounts.tasks import send_password_reset
from routinie.core import task_leases
from routinie.core.models import TaskHeartbeat
from routinie.core.task_leases import reclaim_lost_tasks
from routinie.core.task_worker import LeaseKeeper

pytestmark = pytest.mark.django_db(transaction=True)

LOST_AFTER = timedelta(seconds=120)


@pytest.fixture(autouse=True)
def _rules(settings: Any) -> None:
    settings.TASK_LOST_AFTER_SECONDS = LOST_AFTER.total_seconds()
    settings.TASK_MAX_ATTEMPTS = 3


def _running(worker: str = "dead-worker", claims: int = 1) -> DBTaskResult[Any, Any]:
    """A task (one that does nothing: no account) claimed by `worker`, `claims` times in all."""
    result = send_password_reset.enqueue("")
    row = DBTaskResult.objects.get(pk=result.id)
    for n in range(claims):
        row.claim(worker if n == claims - 1 else f"earlier-{n}")
    task_leases.hold(row.pk, worker)
    return row


def _status(row: DBTaskResult[Any, Any]) -> str:
    return str(DBTaskResult.objects.get(pk=row.pk).status)


def test_a_task_with_a_stale_heartbeat_is_queued_again_and_its_heartbeat_removed():
    row = _running()
    with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
        reclaimed = reclaim_lost_tasks()
    assert (reclaimed.requeued, reclaimed.failed) == (1, 0)
    assert _status(row) == "READY"
    assert not TaskHeartbeat.objects.exists()


def test_a_task_whose_worker_still_beats_is_left_alone():
    row = _running(worker="live-worker")
    later = timezone.now() + LOST_AFTER * 3
    with time_machine.travel(later - timedelta(seconds=5)):
        assert task_leases.beat(row.pk, "live-worker")  # long after its start, still alive
    with time_machine.travel(later):
        assert reclaim_lost_tasks().requeued == 0
    assert _status(row) == "RUNNING"


def test_the_timeout_is_the_boundary():
    row = _running()
    with time_machine.travel(timezone.now() + LOST_AFTER - timedelta(seconds=2)):
        assert reclaim_lost_tasks().requeued == 0
    assert _status(row) == "RUNNING"


def test_a_task_claimed_but_without_a_heartbeat_yet_is_judged_by_its_start():
    row = _running()
    TaskHeartbeat.objects.all().delete()  # died between the claim and its first heartbeat
    assert reclaim_lost_tasks().requeued == 0  # just started
    with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
        assert reclaim_lost_tasks().requeued == 1
    assert _status(row) == "READY"


def test_finished_and_waiting_tasks_are_never_touched():
    waiting = send_password_reset.enqueue("")
    done = _running()
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL")
    with time_machine.travel(timezone.now() + LOST_AFTER * 2):
        assert reclaim_lost_tasks() == task_leases.Reclaimed(0, 0)
    assert DBTaskResult.objects.get(pk=waiting.id).status == "READY"
    assert _status(done) == "SUCCESSFUL"


def test_a_task_is_reclaimed_once_however_many_workers_look():
    _running()
    with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
        assert reclaim_lost_tasks().requeued == 1
        assert reclaim_lost_tasks().requeued == 0


def test_a_heartbeat_is_only_written_by_the_worker_that_holds_the_task():
    row = _running(worker="first")
    assert task_leases.beat(row.pk, "first")
    assert not task_leases.beat(row.pk, "someone-else")
    task_leases.release(row.pk, "someone-else")  # not theirs to release
    assert TaskHeartbeat.objects.filter(task_id=row.pk, worker_id="first").exists()


def test_after_its_last_attempt_a_lost_task_fails_and_says_why():
    finished: list[Any] = []

    @receiver(task_finished, weak=False, dispatch_uid="test-task-leases-finished")
    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        finished.append(task_result)

    try:
        row = _running(claims=3)
        with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
            reclaimed = reclaim_lost_tasks()
    finally:
        task_finished.disconnect(dispatch_uid="test-task-leases-finished")
    assert (reclaimed.requeued, reclaimed.failed) == (0, 1)
    failed = DBTaskResult.objects.get(pk=row.pk)
    assert failed.status == "FAILED"
    assert failed.finished_at is not None
    assert failed.exception_class_path == "routinie.core.task_leases.WorkerLost"
    assert "stopped 3 time(s)" in failed.traceback
    assert [str(r.id) for r in finished] == [str(row.pk)]


def test_a_reclaimed_task_runs_again_on_the_next_worker_and_finishes():
    row = _running()
    with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
        run_queued_tasks()  # a worker starting: reclaims, then runs it
    done = DBTaskResult.objects.get(pk=row.pk)
    assert done.status == "SUCCESSFUL"
    assert done.worker_ids[0] == "dead-worker"
    assert len(done.worker_ids) == 2
    assert not TaskHeartbeat.objects.exists()  # released when it finished


def test_the_lease_keeper_beats_for_the_watched_task_and_reclaims():
    mine = _running(worker="keeper")
    TaskHeartbeat.objects.filter(task_id=mine.pk).update(
        beat_at=timezone.now() - timedelta(seconds=30)
    )
    lost = _running(worker="gone")
    keeper = LeaseKeeper("keeper", every=10)
    keeper.watch(mine.pk)
    with time_machine.travel(timezone.now() + LOST_AFTER + timedelta(seconds=1)):
        keeper.tick()  # what its thread does every TASK_HEARTBEAT_SECONDS
    assert _status(mine) == "RUNNING"  # its beat came first: alive
    assert _status(lost) == "READY"
    beat_at = TaskHeartbeat.objects.get(task_id=mine.pk).beat_at
    assert beat_at > timezone.now() + LOST_AFTER - timedelta(seconds=5)
