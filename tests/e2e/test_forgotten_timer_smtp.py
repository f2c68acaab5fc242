"""The forgotten-timer e-mail over real SMTP (issue 17): found by the periodic job the worker
runs, one per entry however often the job runs or however many workers run it; none when the
reminder is off, below the threshold, or for a stopped timer; its link opens a confirm page
that changes nothing until a button is pressed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from routinie.core.account_jobs import Failures
from routinie.tracking.forgotten.reminders import (
    due_timers,
    remind_forgotten_timers,
    schedule_forgotten_timer_check,
    send_batch,
    send_forgotten_timer_emails,
)
from routinie.tracking.models import ForgottenTimer
from tests.concurrency import at_once
from tests.e2e.forgotten_people import entry_end, person, timer_running_since
from tests.plugin import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^\s]+/timer/forgotten/([0-9a-f-]{36})/")


def test_one_email_per_forgotten_timer_and_none_for_the_others(site, smtp_sink):
    ana = person(site, "ana@example.test")
    ana_entry = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=7))
    ben = person(site, "ben@example.test", name="Ben Rus")  # below his threshold
    timer_running_since(ben, timedelta(hours=7))
    cleo = person(site, "cleo@example.test", name="Cleo Ion")  # the reminder off
    cleo.api("PATCH", "/me", json={"forgotten_timer_hours": 0})
    timer_running_since(cleo, timedelta(hours=30))
    dan = person(site, "dan@example.test", name="Dan Rus")  # a stopped timer
    timer_running_since(dan, timedelta(hours=20))
    assert dan.api("POST", "/timer/stop").status_code == 200
    eve = person(site, "eve@example.test", name="Eve Ene")  # a threshold of her own: 2 hours
    eve.api("PATCH", "/me", json={"forgotten_timer_hours": 2})
    eve_entry = timer_running_since(eve, timedelta(hours=3))
    run_queued_tasks()  # the sign-up confirmations go first
    smtp_sink.wait_for(5)
    smtp_sink.received.clear()

    # Two workers that read the same due timers at the same moment, each sending its batch;
    # then both at once, and the job through the worker, queued twice (a re-run).
    now = timezone.now()
    read_by_both = list(due_timers(now))
    assert len(read_by_both) == 2
    assert send_batch(read_by_both, now, Failures("first worker")) == 2
    assert not due_timers(now).exists()
    assert send_batch(read_by_both, now, Failures("second worker")) == 0  # claimed already
    at_once(2, lambda: send_forgotten_timer_emails())
    assert schedule_forgotten_timer_check()
    remind_forgotten_timers.enqueue()
    run_queued_tasks()

    received = smtp_sink.wait_for(2)
    assert sorted(r for m in received for r in m.rcpt_tos) == [
        "ana@example.test",
        "eve@example.test",
    ]
    (to_ana,) = smtp_sink.to("ana@example.test")
    assert "running for over 8 hours" in to_ana["Subject"]
    text = to_ana.text()
    assert '"Report"' in text
    left = ana.user().last_active_at
    assert left is not None
    assert f"{timezone.localtime(left):%H:%M}" in text  # the time Ana left
    link = LINK.search(text)
    assert link, text
    assert link.group(1) == ana_entry
    assert ForgottenTimer.objects.get(entry_id=ana_entry).emailed_at is not None
    assert ForgottenTimer.objects.get(entry_id=ana_entry).left_at == left
    assert ForgottenTimer.objects.filter(entry_id=eve_entry, emailed_at__isnull=False).exists()
    assert ForgottenTimer.objects.count() == 2
    assert not due_timers(timezone.now()).exists()

    # The link: a page behind sign-in; the GET changes nothing; its button stops at the time
    # Ana left, even after she came back and did something (the moment was kept with the mail).
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    assert site().get(f"/{path}").status_code == 302
    assert ana.web.get(f"/{path}").status_code == 200
    assert ana.running() is not None
    assert ana.api("POST", "/projects", json={"name": "Back"}).status_code == 201
    assert ana.user().last_active_at > left
    stopped = ana.web.submit(f"/{path}", f"/{path}stop/", {"at": "left", "next": f"/{path}"})
    assert stopped.status_code == 302
    assert entry_end(ana_entry) == left
    smtp_sink.received.clear()
    send_forgotten_timer_emails()
    assert smtp_sink.received == []


def test_keep_it_running_before_the_email_means_no_email(site, smtp_sink):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=7))
    assert ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/keep/", {}).status_code == 302
    run_queued_tasks()  # the sign-up confirmation
    smtp_sink.wait_for(1)
    smtp_sink.received.clear()
    assert send_forgotten_timer_emails() == 0
    assert smtp_sink.received == []
