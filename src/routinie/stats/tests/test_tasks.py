"""The daily statistics job runs on the task worker and queues its next run (P05)."""

import pytest
from django_tasks_db.models import DBTaskResult
from tests.plugin import run_queued_tasks

from routinie.stats.models import KeyFigures, Release
from routinie.stats.tasks import refresh_stats_daily, schedule_daily_stats_refresh
from routinie.stats.tests.people import people

pytestmark = pytest.mark.django_db(transaction=True)


def _waiting() -> int:
    return DBTaskResult.objects.filter(
        task_path=refresh_stats_daily.module_path, status="READY"
    ).count()


@pytest.mark.promise("P05")
def test_the_daily_job_computes_publishes_and_queues_the_next_run_once():
    people(3, hours=[1])
    assert schedule_daily_stats_refresh() is True
    assert schedule_daily_stats_refresh() is False  # one waiting run is enough
    run_queued_tasks()
    assert KeyFigures.objects.count() == 3
    assert set(Release.objects.values_list("audience", flat=True)) == {"public", "staff"}
    assert _waiting() == 1  # tomorrow's run
    [done] = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert done.return_value == {
        "accounts": 3,
        "written": 3,
        "public_release": True,
        "refused": False,
        "failed": 0,  # accounts skipped for their data (core.account_jobs)
    }
