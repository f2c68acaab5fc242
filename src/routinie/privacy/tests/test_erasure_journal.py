"""The erasure journal (P18): every deletion of an account is recorded outside the database
(its id and the time, nothing else) before it commits, and the purge trims the journal."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from routinie.accounts.models import User
from routinie.privacy import erasure_journal
from routinie.privacy.erasure import erase_account, erase_again
from routinie.privacy.retention import JOURNAL_RULE, purge

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(settings, tmp_path: Path) -> Path:
    settings.ERASURE_JOURNAL = tmp_path / "erasure-journal"
    return settings.ERASURE_JOURNAL


@pytest.mark.promise("P18")
def test_an_erasure_is_journaled_with_the_account_id_and_the_time_only(make_user, journal):
    user, password = make_user(name="Ana Pop", email="ana@example.test")
    ana_id, before = str(user.pk), datetime.now(UTC)
    erase_account(user=user, password=password)
    (line,) = journal.read_text().splitlines()
    at, account_id = line.split(" ")
    assert account_id == ana_id
    assert before <= datetime.fromisoformat(at) <= datetime.now(UTC)
    assert "Ana" not in line
    assert "@" not in line
    assert journal.stat().st_mode & 0o777 == 0o600
    assert [e.account_id for e in erasure_journal.erasures_since(before)] == [ana_id]
    assert erasure_journal.erasures_since(datetime.now(UTC) + timedelta(seconds=1)) == []


@pytest.mark.promise("P18")
def test_the_purge_of_sign_ups_never_confirmed_is_journaled(make_user, journal, settings):
    never, _ = make_user(confirmed=False)
    kept, _ = make_user()
    later = timezone.now() + timedelta(days=settings.UNCONFIRMED_SIGNUP_DAYS + 1)
    with time_machine.travel(later):
        assert purge()["sign-ups never confirmed"] == 1
    assert [line.split(" ")[1] for line in journal.read_text().splitlines()] == [str(never.pk)]
    assert User.objects.filter(pk=kept.pk).exists()


@pytest.mark.promise("P18")
def test_an_erasure_that_cannot_be_journaled_deletes_nothing(make_user, settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    settings.ERASURE_JOURNAL = tmp_path / "a-file" / "erasure-journal"  # cannot be created
    user, password = make_user()
    with pytest.raises(OSError):
        erase_account(user=user, password=password)
    assert User.objects.filter(pk=user.pk).exists()


def test_erasing_again_an_account_that_is_not_there_changes_nothing(make_user, journal):
    user, _ = make_user()
    user_id = str(user.pk)
    assert erase_again(account_id="7a0d8bc4-43b5-4bd8-9d27-6c3c43f2cf2e") is False
    assert erase_again(account_id="not-an-id") is False
    assert erase_again(account_id=user_id) is True
    assert not User.objects.filter(pk=user_id).exists()
    assert journal.read_text().count("\n") == 1


@pytest.mark.promise("P20")
def test_the_purge_trims_records_older_than_the_journal_keeps_and_nothing_else(journal, settings):
    settings.ERASURE_JOURNAL_DAYS = 30
    now = timezone.now()
    old = erasure_journal.record("1", at=now - timedelta(days=31))
    recent = erasure_journal.record("2", at=now - timedelta(days=29))
    with journal.open("a") as file:
        file.write("a line that is not a record\n")
    assert purge(dry_run=True)[JOURNAL_RULE] == 1
    assert journal.read_bytes().count(b"\n") == 3
    assert purge()[JOURNAL_RULE] == 1
    assert journal.read_text().splitlines() == [
        recent.line().decode().strip(),
        "a line that is not a record",
    ], "a line it cannot read is never dropped"
    assert old.line().decode() not in journal.read_text()
    assert purge()[JOURNAL_RULE] == 0


def test_a_line_that_is_not_a_record_is_refused_when_read(journal):
    erasure_journal.record("1")
    with journal.open("a") as file:
        file.write("2026-11-30T08:00:00 2\n")  # no time zone
    with pytest.raises(erasure_journal.JournalUnreadable, match="line 2 is not an erasure"):
        erasure_journal.erasures_since(datetime(2000, 1, 1, tzinfo=UTC))
