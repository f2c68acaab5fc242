"""The database itself holds a break's rules (migration 0003), whatever writes it: inside its
entry, ending after it starts, at most one open break per entry."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from routinie.tracking.entries.services import create_entry
from routinie.tracking.models import EntryBreak, TimeEntry

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


def _refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_break_outside_its_entry_or_ending_before_it_starts_is_refused(ada):
    entry, _ = create_entry(user=ada, start=_at(0), end=_at(60))
    _refused(lambda: EntryBreak.objects.create(entry=entry, user=ada, start=_at(-1), end=_at(10)))
    _refused(lambda: EntryBreak.objects.create(entry=entry, user=ada, start=_at(50), end=_at(61)))
    _refused(lambda: EntryBreak.objects.create(entry=entry, user=ada, start=_at(20), end=_at(20)))
    _refused(lambda: EntryBreak.objects.create(entry=entry, user=ada, start=_at(20), end=None))
    kept = EntryBreak.objects.create(entry=entry, user=ada, start=_at(20), end=_at(30))
    _refused(lambda: EntryBreak.objects.filter(pk=kept.pk).update(end=_at(70)))
    # Moving the entry off its break is refused too, from the entry's side.
    _refused(lambda: TimeEntry.objects.filter(pk=entry.pk).update(end=_at(25)))
    _refused(lambda: TimeEntry.objects.filter(pk=entry.pk).update(start=_at(21)))
    assert list(EntryBreak.objects.values_list("start", "end")) == [(_at(20), _at(30))]


def test_a_running_entry_has_at_most_one_open_break_and_cannot_stop_inside_it(ada):
    entry = TimeEntry.objects.create(user=ada, start=_at(0), end=None)
    EntryBreak.objects.create(entry=entry, user=ada, start=_at(5), end=None)
    _refused(lambda: EntryBreak.objects.create(entry=entry, user=ada, start=_at(6), end=None))
    _refused(lambda: TimeEntry.objects.filter(pk=entry.pk).update(end=_at(60)))
    EntryBreak.objects.filter(entry=entry).update(end=_at(60))
    TimeEntry.objects.filter(pk=entry.pk).update(end=_at(60))
    assert TimeEntry.objects.get(pk=entry.pk).end == _at(60)
