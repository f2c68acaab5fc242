"""The key figures: what they count, how they are keyed, and what leaves with an account (P05)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings

from routinie.accounts.models import User
from routinie.privacy.erasure import erase_account
from routinie.stats.keyfigures import refresh_key_figures
from routinie.stats.models import KeyFigures, KeyFiguresRun
from routinie.stats.pseudonyms import key_id, pseudonym_of
from routinie.stats.tests.people import person
from routinie.tracking.models import CheckIn, Project, Routine, TimeEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


def _row(user: User) -> KeyFigures:
    return KeyFigures.objects.get(pseudonym=pseudonym_of(user.pk))


def _entry(user: User, start: datetime, minutes: int, end: bool = True) -> None:
    TimeEntry.objects.create(
        user=user, start=start, end=start + timedelta(minutes=minutes) if end else None
    )


@time_machine.travel(NOW, tick=False)
def test_the_figures_count_entries_hours_projects_routines_checkins_and_days():
    ana = person(zone="Asia/Tokyo")
    project = Project.objects.create(user=ana, name="Work")
    Project.objects.create(user=ana, name="Old")
    _entry(ana, NOW - timedelta(days=2), 90)  # in the window
    TimeEntry.objects.filter(user=ana).update(project=project)
    _entry(ana, NOW - timedelta(days=2, hours=1), 30)  # the same local day
    _entry(ana, NOW - timedelta(days=100), 60)  # before the window
    _entry(ana, NOW - timedelta(minutes=45), 0, end=False)  # a running timer: counts until now
    daily = Routine.objects.create(user=ana, name="Walk", starts_on=date(2026, 1, 1))
    Routine.objects.create(
        user=ana,
        name="Read",
        schedule_kind="times_per_week",
        schedule_number=3,
        starts_on=date(2026, 1, 1),
        archived=True,
    )
    CheckIn.objects.create(routine=daily, user=ana, date=date(2026, 11, 20), status="done")
    CheckIn.objects.create(routine=daily, user=ana, date=date(2026, 8, 1), status="skipped")

    refresh_key_figures()

    row = _row(ana)
    assert (row.entries_total, row.entries_30d) == (4, 3)
    assert row.seconds_total == (90 + 30 + 60 + 45) * 60
    assert row.seconds_30d == (90 + 30 + 45) * 60
    assert (row.projects_total, row.projects_30d) == (2, 1)
    assert (row.routines_total, row.routines_30d) == (2, 1)
    assert row.routine_kinds == 1  # daily only: the archived routine is not in use
    assert (row.checkins_total, row.checkins_30d) == (2, 1)
    # Local (Tokyo) days: 23 Nov (two entries), 25 Nov (timer), 17 Aug, 20 Nov and 1 Aug.
    assert (row.active_days_total, row.active_days_30d) == (5, 3)
    # 23 Nov 2026 in Tokyo is a Monday; the timer started on Wednesday the 25th (Tokyo).
    assert (row.seconds_30d_mon, row.seconds_30d_wed) == (120 * 60, 45 * 60)
    assert row.seconds_30d_tue == row.seconds_30d_sun == 0


@time_machine.travel(NOW, tick=False)
def test_days_and_weekdays_are_the_persons_own():
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # Monday in UTC, Tuesday in Bucharest
    utc_person = person(zone="UTC")
    bucharest = person(zone="Europe/Bucharest")
    _entry(utc_person, late, 20)
    _entry(bucharest, late, 20)
    refresh_key_figures()
    assert _row(utc_person).seconds_30d_mon == 1200
    assert _row(bucharest).seconds_30d_tue == 1200


@time_machine.travel(NOW, tick=False)
def test_an_account_with_no_data_has_a_row_of_zeros():
    nobody = person()
    refresh_key_figures()
    row = _row(nobody)
    assert row.entries_total == row.active_days_total == row.routine_kinds == 0


@pytest.mark.promise("P05")
@time_machine.travel(NOW, tick=False)
def test_the_key_figure_table_holds_no_user_id_name_or_email():
    ana = person(name="Ana Distinctive", hours=[2], kinds=["daily"], checkins=2)
    refresh_key_figures()
    columns = {f.column for f in KeyFigures._meta.concrete_fields}
    assert not columns & {"user_id", "user", "id", "name", "email"}
    assert not any(f.is_relation for f in KeyFigures._meta.get_fields())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {KeyFigures._meta.db_table}")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    for identifier in (str(ana.pk), ana.pk.hex, ana.name, ana.email, "Distinctive"):
        assert identifier not in stored
    assert _row(ana).pseudonym != ana.pk.hex


def test_the_pseudonym_is_a_keyed_hash_that_changes_with_the_key():
    user_id = "0b6c4a2e-6f0a-4b8e-9f51-9d8f0c6b1a11"
    assert pseudonym_of(user_id, b"key one") == pseudonym_of(user_id, b"key one")
    assert pseudonym_of(user_id, b"key one") != pseudonym_of(user_id, b"key two")
    assert len(pseudonym_of(user_id, b"key one")) == 32
    with override_settings(STATS_PSEUDONYM_KEY="configured"):
        assert pseudonym_of(user_id) == pseudonym_of(user_id, b"configured")


@pytest.mark.promise("P05")
@time_machine.travel(NOW, tick=False)
def test_erasing_an_account_removes_its_key_figures_row_in_the_same_transaction(make_user):
    ana, password = make_user(name="Ana")
    bob, _ = make_user(name="Bob")
    refresh_key_figures()
    ana_pseudonym = pseudonym_of(ana.pk)
    erase_account(user=ana, password=password)
    assert not KeyFigures.objects.filter(pseudonym=ana_pseudonym).exists()
    assert KeyFigures.objects.filter(pseudonym=pseudonym_of(bob.pk)).exists()


@time_machine.travel(NOW, tick=False)
def test_a_second_run_writes_only_what_changed():
    ana, bob = person(hours=[1]), person(hours=[1])
    first = refresh_key_figures()
    assert (first.accounts, first.written, first.unchanged) == (2, 2, 0)
    before = _row(bob).computed_at
    _entry(ana, NOW - timedelta(hours=5), 30)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        second = refresh_key_figures()
    assert (second.written, second.unchanged) == (1, 1)
    assert _row(ana).entries_total == 2
    assert _row(bob).computed_at == before
    assert KeyFiguresRun.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_dry_run_computes_and_writes_nothing():
    person(hours=[1])
    result = refresh_key_figures(dry_run=True)
    assert (result.accounts, result.written) == (1, 1)
    assert not KeyFigures.objects.exists()
    assert not KeyFiguresRun.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_new_pseudonym_key_rekeys_the_table():
    ana = person(hours=[1])
    refresh_key_figures()
    with override_settings(STATS_PSEUDONYM_KEY="a new key"):
        result = refresh_key_figures()
        assert result.removed == 1
        [row] = KeyFigures.objects.all()
        assert row.pseudonym == pseudonym_of(ana.pk)
        assert row.key_id == key_id()


@time_machine.travel(NOW, tick=False)
def test_rows_of_accounts_deleted_behind_djangos_back_are_swept_out():
    ana, bob = person(hours=[1]), person()
    refresh_key_figures()
    users = User.objects.filter(pk=bob.pk)
    users._raw_delete(users.db)  # as raw SQL would: no signal, no erasure hook
    assert KeyFigures.objects.count() == 2
    result = refresh_key_figures()
    assert result.removed == 1
    assert list(KeyFigures.objects.values_list("pseudonym", flat=True)) == [pseudonym_of(ana.pk)]


@time_machine.travel(NOW, tick=False)
def test_accounts_are_taken_in_chunks_of_one_time_zone():
    from routinie.stats.keyfigures import accounts_by_zone

    for zone in ("UTC", "UTC", "UTC", "Asia/Tokyo", "UTC"):
        person(zone=zone, hours=[1])
    chunks = list(accounts_by_zone(chunk=2))
    assert [(zone, len(ids)) for zone, ids in chunks] == [("Asia/Tokyo", 1), ("UTC", 2), ("UTC", 2)]
    result = refresh_key_figures(chunk=2)
    assert result.accounts == 5
    assert KeyFigures.objects.count() == 5
