"""An erasure's statements do not grow with the account's rows: the time entries (and their tag
links) go in one statement each, not a hundred at a time (bench: the heavy user's erasure)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routinie.accounts.models import User
from routinie.billing.models import Invoice
from routinie.privacy.erasure import erase_account, owned_tables
from routinie.privacy.models import DataExport
from routinie.privacy.owned_rows import deletable_at_once
from routinie.tracking.models import Tag, TimeEntry

pytestmark = pytest.mark.django_db


def _tracked(user: User, entries: int) -> None:
    tags = [Tag.objects.create(user=user, name=f"tag {n}") for n in range(3)]
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    made = TimeEntry.objects.bulk_create(
        TimeEntry(
            user=user,
            start=start + timedelta(hours=n),
            end=start + timedelta(hours=n, minutes=30),
        )
        for n in range(entries)
    )
    links = TimeEntry.tags.through
    links.objects.bulk_create(
        links(timeentry_id=entry.pk, tag_id=tag.pk) for entry in made for tag in tags[:2]
    )


def _erasure_statements(user: User, password: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        erase_account(user=user, password=password)
    return len(captured.captured_queries)


def test_erasing_450_entries_takes_as_many_statements_as_erasing_5(make_user):
    light, light_password = make_user(name="Ana Pop", email="ana@example.test")
    heavy, heavy_password = make_user(name="Bob Pop", email="bob@example.test")
    other, _ = make_user(name="Cy Pop", email="cy@example.test")
    first, first_password = make_user(name="Di Pop", email="di@example.test")
    for user, entries in ((light, 5), (heavy, 450), (other, 7), (first, 1)):
        _tracked(user, entries)
    _erasure_statements(first, first_password)  # the content types' lookups, cached after it

    light_statements = _erasure_statements(light, light_password)
    heavy_statements = _erasure_statements(heavy, heavy_password)

    assert heavy_statements == light_statements
    assert not TimeEntry.objects.filter(user_id__in=[light.pk, heavy.pk]).exists()
    assert not TimeEntry.tags.through.objects.filter(tag__user_id=heavy.pk).exists()
    assert TimeEntry.objects.filter(user=other).count() == 7
    assert TimeEntry.tags.through.objects.filter(timeentry__user=other).count() == 14


def test_only_tables_with_links_deleted_with_their_owner_go_at_once():
    at_once = {model for model, owner in owned_tables() if deletable_at_once(model, owner)}
    assert TimeEntry in at_once
    assert Invoice not in at_once, "kept by law (SET_NULL), never deleted with the account"
    assert DataExport not in at_once, "its files are removed by a signal that reads its rows"
    assert User not in at_once
