"""The purge removes exactly what is past its retention, records counts only (P20)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.plugin import run_queued_tasks

from routinie.accounts.models import UserSession
from routinie.privacy.models import DataExport, PurgeRun
from routinie.privacy.retention import purge, purge_daily, schedule_daily_purge

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(user, password) -> Client:
    client = Client()
    assert client.post("/login/", {"email": user.email, "password": password}).status_code == 302
    return client


@pytest.mark.promise("P20")
def test_the_purge_removes_exactly_what_is_past_its_period(make_user):
    ana, ana_password = make_user()
    bob, bob_password = make_user()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(ana, ana_password)
        old_export = DataExport.objects.create(
            user=ana, status="ready", finished_at=start, expires_at=start + timedelta(days=7)
        )
        clock.shift(timedelta(days=6, hours=23))
        _sign_in(bob, bob_password)  # a fresh session and a fresh export stay
        fresh_export = DataExport.objects.create(
            user=bob,
            status="ready",
            finished_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=7),
        )
        clock.shift(timedelta(hours=2))  # past Ana's export and her 12-hour session, not Bob's
        counts = purge()
    assert counts["expired sessions"] == 1
    assert counts["expired data exports"] == 1
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [bob.pk]
    assert list(DataExport.objects.all()) == [fresh_export]
    assert not DataExport.objects.filter(pk=old_export.pk).exists()
    record = PurgeRun.objects.get()
    assert record.counts == counts
    assert set(record.counts.values()) <= {0, 1}, "counts only"


@pytest.mark.promise("P20")
def test_routinie_purge_dry_run_counts_and_deletes_nothing(make_user, capsys):
    user, password = make_user()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(user, password)
        clock.shift(timedelta(hours=13))
        call_command("purge", "--dry-run")
        assert "expired sessions: would remove 1" in capsys.readouterr().out
        assert UserSession.objects.count() == 1
        call_command("purge")
        assert UserSession.objects.count() == 0


def test_the_daily_purge_runs_on_the_worker_and_queues_the_next_day():
    assert schedule_daily_purge() is True
    assert schedule_daily_purge() is False, "never two waiting runs"
    run_queued_tasks()
    assert PurgeRun.objects.count() == 1
    waiting = DBTaskResult.objects.get(task_path=purge_daily.module_path, status="READY")
    assert waiting.run_after > timezone.now() + timedelta(hours=23)
