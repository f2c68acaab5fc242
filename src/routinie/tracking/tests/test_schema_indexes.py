"""The tracking tables' indexes as the migrations leave them, on the database the suite runs on:
the user's lookups served by one composite index per table, and the database's own guard of one
running timer per person (migration 0003 drops the old one-column indexes by name: Django's
`AlterField(db_index=False)` would have dropped that partial unique index with them)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from routinie.tracking.models import CheckIn, EntryBreak, Goal, Project, Routine, Tag, TimeEntry

pytestmark = pytest.mark.django_db


def _indexes(model):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: info for name, info in found.items() if info["index"] or info["unique"]}


@pytest.mark.parametrize("model", [CheckIn, EntryBreak, Goal, Project, Routine, Tag, TimeEntry])
def test_the_user_is_the_first_column_of_an_index_and_has_no_index_of_its_own(model):
    indexes = _indexes(model)
    plain = [n for n, i in indexes.items() if i["columns"] == ["user_id"] and not i["unique"]]
    assert plain == [], f"{model.__name__}: a second index on user_id alone: {plain}"
    assert any((i["columns"] or [None])[0] == "user_id" for i in indexes.values()), indexes


def test_the_database_refuses_a_second_running_timer(make_user):
    user, _ = make_user()
    start = timezone.now() - timedelta(hours=1)
    TimeEntry.objects.create(user=user, start=start, end=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=user, start=start + timedelta(minutes=5), end=None)
    assert "one_running_timer_per_user" in _indexes(TimeEntry)


def test_postgresql_samples_more_rows_to_count_the_owners():
    """tracking 0004: the statistics target of `user_id` (docs/performance.md: the planner's
    count of people at `full`); SQLite has nothing to set."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
            "WHERE attname = 'user_id' AND attrelid IN "
            "('tracking_timeentry'::regclass, 'tracking_checkin'::regclass)"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"tracking_timeentry": 3000, "tracking_checkin": 3000}
