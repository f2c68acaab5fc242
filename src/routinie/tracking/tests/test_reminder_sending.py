"""The reminder job's plain function, `send_due_reminders(now=...)`, with "now" given and real
SMTP (tests/smtp_sink.py): the right local day across daylight-saving changes and odd offsets,
once however often it runs, the retention of its records, the time zone changing, and the
token kept out of the logs."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from tests.concurrency import at_once

from routinie.accounts.services import update_profile
from routinie.core.log_redaction import redact
from routinie.privacy.retention import purge
from routinie.tracking.models import ReminderDigest, Routine, SentReminder
from routinie.tracking.reminders.links import unsubscribe_url
from routinie.tracking.reminders.sending import send_due_reminders
from routinie.tracking.reminders.services import reminder_fields, set_digest_time
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import check_in, create_routine

pytestmark = pytest.mark.django_db


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def person(make_user):
    def make(zone: str):
        return make_user(
            email=f"{zone.replace('/', '.').lower()}@example.test", timezone_name=zone
        )[0]

    return make


def routine_with_reminder(user, wall: time, set_at: datetime, kind: str = "daily", **schedule):
    """A routine whose reminder was set at `set_at` (the job's clock, not the test's)."""
    routine, _ = create_routine(user=user, name="Stretch", schedule=ScheduleSpec(kind, **schedule))
    Routine.objects.filter(pk=routine.pk).update(
        starts_on=date(2026, 1, 1), **reminder_fields(user, wall, set_at)
    )
    routine.refresh_from_db()
    return routine


def days_mentioned(sink) -> list[str]:
    return [
        line.split(": ")[0].removeprefix("a reminder for today, ")
        for message in sink.received
        for line in message.text().splitlines()
        if line.startswith("a reminder for today, ")
    ]


def test_berlin_spring_forward_sends_a_0230_reminder_when_the_clocks_jump(person, smtp_sink):
    routine = routine_with_reminder(person("Europe/Berlin"), time(2, 30), utc(2026, 3, 28, 12))
    assert send_due_reminders(now=utc(2026, 3, 29, 0, 59)) == 0  # 01:59 CET
    assert send_due_reminders(now=utc(2026, 3, 29, 1, 0)) == 1  # 03:00 CEST: the first instant
    assert days_mentioned(smtp_sink) == ["Sunday 29 March 2026"]
    routine.refresh_from_db()
    assert routine.reminder_next_at == utc(2026, 3, 30, 0, 30)  # 02:30 CEST the next day


def test_berlin_fall_back_sends_a_0230_reminder_once(person, smtp_sink):
    routine_with_reminder(person("Europe/Berlin"), time(2, 30), utc(2026, 10, 24, 12))
    assert send_due_reminders(now=utc(2026, 10, 25, 0, 30)) == 1  # the first 02:30 (CEST)
    assert send_due_reminders(now=utc(2026, 10, 25, 1, 30)) == 0  # the second 02:30 (CET)
    assert send_due_reminders(now=utc(2026, 10, 25, 23, 0)) == 0
    assert days_mentioned(smtp_sink) == ["Sunday 25 October 2026"]
    assert Routine.objects.get().reminder_next_at == utc(2026, 10, 26, 1, 30)


def test_a_quarter_hour_zone_reminds_of_its_own_day_while_utc_is_still_on_the_eve(
    person, smtp_sink
):
    routine_with_reminder(person("Asia/Kathmandu"), time(0, 10), utc(2026, 5, 31, 12))
    assert send_due_reminders(now=utc(2026, 5, 31, 18, 24)) == 0
    assert send_due_reminders(now=utc(2026, 5, 31, 18, 25)) == 1  # 00:10 +05:45 on 1 June
    assert days_mentioned(smtp_sink) == ["Monday 1 June 2026"]


def test_st_johns_keeps_its_wall_time_across_its_spring_forward(person, smtp_sink):
    routine_with_reminder(person("America/St_Johns"), time(7, 0), utc(2026, 3, 6, 20))
    assert send_due_reminders(now=utc(2026, 3, 7, 10, 30)) == 1  # 07:00 NST (-03:30)
    assert send_due_reminders(now=utc(2026, 3, 8, 9, 29)) == 0
    assert send_due_reminders(now=utc(2026, 3, 8, 9, 30)) == 1  # 07:00 NDT (-02:30)
    assert days_mentioned(smtp_sink) == ["Saturday 7 March 2026", "Sunday 8 March 2026"]


def test_a_reminder_another_worker_sent_is_not_sent_again(person, smtp_sink):
    user = person("Europe/Berlin")
    routine = routine_with_reminder(user, time(7, 30), utc(2026, 6, 1, 4))
    SentReminder.objects.create(user=user, routine=routine, day=date(2026, 6, 1))
    assert send_due_reminders(now=utc(2026, 6, 1, 5, 31)) == 0
    assert smtp_sink.received == []
    assert Routine.objects.get().reminder_next_at == utc(2026, 6, 2, 5, 30)


@pytest.mark.parametrize(("count", "expected"), [(1, 0), (2, 1)])
def test_times_a_week_stops_reminding_once_the_week_is_done(person, smtp_sink, count, expected):
    user = person("UTC")
    routine = routine_with_reminder(
        user, time(8, 0), utc(2026, 6, 2, 9), "times_per_week", count=count
    )
    check_in(user=user, routine_id=routine.pk, day=date(2026, 6, 1), status="done")  # Monday
    assert send_due_reminders(now=utc(2026, 6, 3, 8, 0)) == expected  # Wednesday


def test_archived_routines_are_not_reminded(person, smtp_sink):
    routine = routine_with_reminder(person("UTC"), time(8, 0), utc(2026, 6, 1))
    Routine.objects.filter(pk=routine.pk).update(archived=True)
    assert send_due_reminders(now=utc(2026, 6, 1, 8, 0)) == 0


def test_a_new_time_zone_moves_the_next_reminders_to_the_same_wall_time(person):
    user = person("Europe/Berlin")
    routine_with_reminder(user, time(7, 30), timezone.now())
    set_digest_time(user=user, wall=time(21, 0))
    update_profile(user=user, timezone_name="Asia/Kathmandu")
    kathmandu = ZoneInfo("Asia/Kathmandu")
    next_at = Routine.objects.get().reminder_next_at
    assert next_at is not None
    assert next_at.astimezone(kathmandu).time() == time(7, 30)
    assert ReminderDigest.objects.get().next_at.astimezone(kathmandu).time() == time(21, 0)


@pytest.mark.promise("P20")
def test_the_purge_removes_sent_reminder_records_after_30_days(person):
    user = person("UTC")
    routine = routine_with_reminder(user, time(7, 0), timezone.now())
    now = timezone.now()
    old = SentReminder.objects.create(
        user=user, routine=routine, day=date(2026, 1, 1), sent_at=now - timedelta(days=31)
    )
    kept = SentReminder.objects.create(
        user=user, routine=routine, day=date(2026, 1, 2), sent_at=now - timedelta(days=29)
    )
    assert purge()["sent-reminder records"] == 1
    assert list(SentReminder.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk


def test_the_unsubscribe_token_never_reaches_a_log_line(person):
    user = person("UTC")
    url = unsubscribe_url(user.pk, None)
    token = url.split("token=", 1)[1]
    line = f'"POST {url.split("//", 1)[1].split("/", 1)[1]} HTTP/1.1" 200 512 3ms'
    assert token not in redact(line)
    assert "[token]" in redact(line)


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_the_same_minute_send_each_reminder_once(person, smtp_sink):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("threads share the suite's in-memory SQLite, whose tables lock: PostgreSQL's")
    user = person("Asia/Kathmandu")
    for _ in range(5):
        routine_with_reminder(user, time(7, 30), utc(2026, 6, 1))
    at_once(4, lambda: send_due_reminders(now=utc(2026, 6, 1, 1, 46)))
    assert len(smtp_sink.received) == 5
    assert len({m["Message-ID"] for m in smtp_sink.received}) == 5
    assert SentReminder.objects.count() == 5
