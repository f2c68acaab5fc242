"""A job over every account survives one account's bad data: the account is skipped and
reported by an opaque id (no name, no e-mail address), the others are done, and the command's
exit status says some failed (issue 15, item 5). The commands run as an operator runs them
(`call_command` raises CommandError where `routinie …` exits with status 1)."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from routinie.accounts.models import User
from routinie.privacy.export_archive import archive_path
from routinie.privacy.models import DataExport
from routinie.stats.models import KeyFigures
from routinie.stats.pseudonyms import pseudonym_of
from routinie.tracking.entries.services import create_entry
from routinie.tracking.models import TimeEntry
from tests.personas import new_user

pytestmark = pytest.mark.django_db(transaction=True)


def _run(command: str) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, stdout=out, stderr=err)
    except CommandError as failed:
        return out.getvalue(), err.getvalue(), failed
    return out.getvalue(), err.getvalue(), None


def _people_with_an_hour_each() -> list[User]:
    people = [
        new_user(name, f"{name.lower()}@example.test", timezone_name="America/New_York")
        for name in ("Ada", "Ben", "Cleo")
    ]
    start = timezone.now() - timedelta(days=2)
    for person in people:
        create_entry(user=person, start=start, end=start + timedelta(hours=1), description="x")
    return people


def _stored_out_of_range(person: User, start: str, end: str) -> None:
    """Move the person's entry out of the date range, straight in the table, as a request
    could before the range (issue 15: a year-1 entry stored by a request that answered 500)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {TimeEntry._meta.db_table} SET start = %s, "end" = %s WHERE user_id = %s',
            [start, end, person.pk.hex],
        )
        assert cursor.rowcount == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01 03:00:00", "0001-01-01 04:00:00"),  # year 1
        ("2026-11-02 09:00:00", "9999-12-31 23:00:00"),  # an end in year 9999
    ],
)
def test_stats_refresh_computes_everyone_else_and_reports_the_account_it_skipped(start, end):
    ada, ben, cleo = _people_with_an_hour_each()
    _stored_out_of_range(ben, start, end)

    out, err, failed = _run("stats_refresh")

    assert failed is not None, "the exit status says some accounts failed"
    assert "Key figures: 3 accounts" in out
    assert "1 account failed" in err
    assert pseudonym_of(ben.pk) in err
    for person in (ada, ben, cleo):
        assert person.email not in out + err
        assert person.name not in out + err
        assert str(person.pk) not in out + err
        assert person.pk.hex not in out + err
    for person in (ada, cleo):
        figures = KeyFigures.objects.get(pseudonym=pseudonym_of(person.pk))
        assert (figures.entries_total, figures.seconds_total) == (1, 3600)
    assert not KeyFigures.objects.filter(pseudonym=pseudonym_of(ben.pk)).exists()


def test_the_purge_removes_everything_else_and_reports_the_row_it_could_not_remove(
    settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    ada, ben, cleo = _people_with_an_hour_each()
    past = timezone.now() - timedelta(days=30)
    exports = {
        person.name: DataExport.objects.create(
            user=person, status=DataExport.Status.READY, expires_at=past
        )
        for person in (ada, ben, cleo)
    }
    for export in exports.values():
        archive_path(export).parent.mkdir(parents=True, exist_ok=True)
        archive_path(export).write_bytes(b"PK archive")
    # Ben's archive cannot be removed: something else made a directory of its name.
    stuck = archive_path(exports["Ben"])
    stuck.unlink()
    stuck.mkdir()
    (stuck / "inside").write_bytes(b"")

    out, err, failed = _run("purge")

    assert failed is not None
    assert "expired data exports: removed 2" in out
    assert f"expired data exports #{exports['Ben'].pk}" in err
    assert not DataExport.objects.filter(pk__in=[exports["Ada"].pk, exports["Cleo"].pk]).exists()
    assert not Path(archive_path(exports["Ada"])).exists()
    assert DataExport.objects.filter(pk=exports["Ben"].pk).exists()
    for person in (ada, ben, cleo):
        assert person.email not in out + err
        assert person.name not in out + err
