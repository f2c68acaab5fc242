"""`routinie backup` and `routinie restore` as an operator runs them, on this run's database
(PostgreSQL: the test database pytest-django made; SQLite: a file of the test's own): the
restore drill of P18 (a person erased after the backup stays erased, their archives on disk too;
the other person's data is as it was at the backup), and bad input refused with nothing changed.
"""

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.conftest import require
from tests.e2e.commands import database_url, file_database_env, routinie
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = f"""
from datetime import timedelta
from django.utils import timezone
from routinie.accounts.services import sign_up
from routinie.privacy.export_archive import archive_path, build_archive, start_export
from routinie.tracking.entries.services import create_entry
now = timezone.now().replace(microsecond=0)
for name in ("Ana", "Ben"):
    person = sign_up(name=name, email=name.lower() + "@example.test", password={PASSWORD!r},
                     accept_policy_version=1)
    for hours in (1, 2):
        create_entry(user=person, start=now - timedelta(days=hours, hours=hours),
                     end=now - timedelta(days=hours), description=f"{{name}} before {{hours}}")
    export = start_export(user=person)
    assert build_archive(str(export.pk)) and archive_path(export).exists()
"""
AFTER_THE_BACKUP = f"""
from datetime import timedelta
from django.utils import timezone
from routinie.accounts.models import User
from routinie.privacy.erasure import erase_account
from routinie.privacy.export_archive import build_archive, start_export
from routinie.tracking.entries.services import create_entry
ana, ben = User.objects.get(name="Ana"), User.objects.get(name="Ben")
start = timezone.now() - timedelta(hours=3)
create_entry(user=ben, start=start, end=start + timedelta(hours=1), description="Ben after")
assert build_archive(str(start_export(user=ben).pk))
print(ana.pk)
erase_account(user=ana, password={PASSWORD!r})
"""
STATE = """
import json
from routinie.accounts.models import User
from routinie.privacy.models import DataExport
from routinie.tracking.models import TimeEntry
print(json.dumps({
    "people": sorted(User.objects.values_list("name", flat=True)),
    "entries": sorted(TimeEntry.objects.values_list("user__name", "description")),
    "exports": sorted(str(pk) for pk in DataExport.objects.values_list("pk", flat=True)),
}))
"""


@pytest.fixture
def platform(tmp_path: Path) -> dict[str, str]:
    """The environment of `routinie` commands on this run's database engine."""
    env = file_database_env(tmp_path / "var")
    for name in ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "ERASURE_JOURNAL"):
        env.pop(name, None)
    if connection.vendor == "postgresql":
        require(
            bool(shutil.which("pg_dump") and shutil.which("pg_restore")),
            "pg_dump and pg_restore are not installed (apt-get install postgresql-client)",
        )
        env["DATABASE_URL"] = database_url(connection.settings_dict)
    else:
        migrated = routinie(env, "migrate", "--noinput")
        assert migrated.returncode == 0, migrated.stderr
    return env


def _shell(env: dict[str, str], script: str) -> str:
    done = routinie(env, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _state(env: dict[str, str]) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(_shell(env, STATE).strip().splitlines()[-1])
    return state


def _archives(env: dict[str, str]) -> set[str]:
    exports = Path(env["DATA_DIR"]) / "exports"
    return {p.name.split(".")[0] for p in exports.iterdir()} if exports.exists() else set()


@pytest.mark.promise("P18")
def test_restore_drill_an_erased_person_stays_erased_and_the_other_is_as_at_the_backup(
    platform: dict[str, str], tmp_path: Path
):
    env = platform
    _shell(env, PEOPLE)
    backup = tmp_path / "backups" / "nightly.backup"
    backup.parent.mkdir()
    taken = routinie(env, "backup", str(backup))
    assert taken.returncode == 0, taken.stderr
    assert f"Backup written to {backup}" in taken.stdout
    at_backup = _state(env)
    assert at_backup["people"] == ["Ana", "Ben"]
    assert len(at_backup["exports"]) == 2
    assert _archives(env) == set(at_backup["exports"])
    # The operator's nightly file copy of DATA_DIR holds the archives of that moment.
    shutil.copytree(Path(env["DATA_DIR"]) / "exports", tmp_path / "exports-copy")

    ana_id = _shell(env, AFTER_THE_BACKUP).strip().splitlines()[-1]
    assert _state(env)["people"] == ["Ben"]
    journal = (Path(env["DATA_DIR"]) / "erasure-journal").read_text()
    assert journal.count("\n") == 1
    assert journal.split()[1] == ana_id
    assert "Ana" not in journal, "the journal holds no personal data"
    assert "@" not in journal, "the journal holds no personal data"

    # The disaster: the database and the disk's exports come back from their copies.
    shutil.rmtree(Path(env["DATA_DIR"]) / "exports")
    shutil.copytree(tmp_path / "exports-copy", Path(env["DATA_DIR"]) / "exports")
    restored = routinie(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Erasure journal: 1 account(s) erased since the backup; 1 erased again" in (
        restored.stdout
    )
    after = _state(env)
    assert after["people"] == ["Ben"], "Ana, erased after the backup, stays erased"
    assert after["entries"] == [["Ben", "Ben before 1"], ["Ben", "Ben before 2"]]
    assert after["exports"] == [e for e in at_backup["exports"] if e in after["exports"]]
    assert len(after["exports"]) == 1
    assert _archives(env) == set(after["exports"]), "Ana's archive and Ben's later one are gone"
    assert ana_id not in restored.stdout + restored.stderr

    again = routinie(env, "restore", str(backup))  # a second restore keeps the promise too
    assert again.returncode == 0, again.stderr
    assert "1 erased again" in again.stdout
    assert _state(env) == after


def _a_sqlite_file_that_is_no_backup(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE django_migrations (id INTEGER)")
    return path


def _the_other_engines_backup(path: Path) -> Path:
    """A backup of the engine this run does not use."""
    if connection.vendor == "postgresql":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE routinie_backup (taken_at TEXT)")
            db.execute("INSERT INTO routinie_backup VALUES ('2026-11-30T08:00:00+00:00')")
        return path
    path.write_bytes(b"PGDMP\x01\x0f\x00\x04\x08\x01" + b"\x00" * 200)
    return path


BAD_BACKUPS = {
    "missing": (lambda tmp: tmp / "missing.backup", "There is no file"),
    "a directory": (lambda tmp: tmp, "is not a file"),
    "a text file": (
        lambda tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("hello"))[0],
        "is not a backup made by `routinie backup`",
    ),
    "another SQLite database": (
        lambda tmp: _a_sqlite_file_that_is_no_backup(tmp / "other.sqlite3"),
        "is an SQLite database",
    ),
    "the other engine's backup": (
        lambda tmp: _the_other_engines_backup(tmp / "other.backup"),
        "but this platform runs on",
    ),
}


def test_restore_refuses_what_is_not_a_backup_of_this_platform_and_changes_nothing(
    platform: dict[str, str], tmp_path: Path
):
    env = platform
    _shell(env, PEOPLE)
    before = _state(env)
    for what, (make, says) in BAD_BACKUPS.items():
        refused = routinie(env, "restore", str(make(tmp_path)))
        assert refused.returncode != 0, what
        assert says in refused.stderr, (what, refused.stderr)
        assert "Traceback" not in refused.stderr, what
        assert _state(env) == before, what


def test_restore_refuses_without_a_readable_erasure_journal_and_changes_nothing(
    platform: dict[str, str], tmp_path: Path
):
    env = platform
    _shell(env, PEOPLE)
    backup = tmp_path / "nightly.backup"
    assert routinie(env, "backup", str(backup)).returncode == 0
    _shell(
        env, "from routinie.accounts.models import User; User.objects.filter(name='Ana').delete()"
    )
    journal = Path(env["DATA_DIR"]) / "erasure-journal"
    before = _state(env)

    journal.write_text(journal.read_text() + "half a line\n")
    unreadable = routinie(env, "restore", str(backup))
    assert unreadable.returncode != 0
    assert "line 2 is not an erasure record" in unreadable.stderr
    assert _state(env) == before

    journal.unlink()
    missing = routinie(env, "restore", str(backup))
    assert missing.returncode != 0
    assert "There is no erasure journal" in missing.stderr
    assert _state(env) == before


def test_backup_refuses_a_place_it_cannot_write_and_leaves_nothing_behind(
    platform: dict[str, str], tmp_path: Path
):
    env = platform
    nowhere = routinie(env, "backup", str(tmp_path / "no-such-dir" / "nightly.backup"))
    assert nowhere.returncode != 0
    assert "There is no directory" in nowhere.stderr
    into_a_dir = routinie(env, "backup", str(tmp_path))
    assert into_a_dir.returncode != 0
    assert "is a directory" in into_a_dir.stderr
    assert not list(tmp_path.glob(".*.part"))


RESTORE_TWO_DAYS_LATER = """
import datetime, time_machine
from django.core.management import call_command
with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)):
    call_command("restore", {path!r})
"""


def test_restore_refuses_a_backup_older_than_the_erasure_journal_keeps(
    platform: dict[str, str], tmp_path: Path
):
    env = {**platform, "ERASURE_JOURNAL_DAYS": "1"}
    _shell(env, PEOPLE)
    backup = tmp_path / "old.backup"
    assert routinie(env, "backup", str(backup)).returncode == 0
    _shell(
        env, "from routinie.accounts.models import User; User.objects.filter(name='Ana').delete()"
    )
    before = _state(env)
    refused = routinie(env, "shell", "-c", RESTORE_TWO_DAYS_LATER.format(path=str(backup)))
    assert refused.returncode != 0
    assert "longer ago than the erasure journal keeps its records" in refused.stderr
    assert _state(env) == before


FAKE_PG_DUMP = """#!/bin/sh
printf '%s\\n' "$@" > "$(dirname "$0")/argv"
printf 'PGPASSWORD=%s PGUSER=%s PGDATABASE=%s\\n' "$PGPASSWORD" "$PGUSER" "$PGDATABASE" \\
  > "$(dirname "$0")/env"
echo "pg_dump: error: this stand-in always fails" >&2
exit 1
"""


def test_pg_dump_gets_the_password_through_its_environment_never_its_command_line(
    tmp_path: Path,
):
    """pg_dump is a stand-in here (a script recording what it was given): the command line
    is visible to every user of the machine, the environment is not."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pg_dump").write_text(FAKE_PG_DUMP)
    (tools / "pg_dump").chmod(0o755)
    env = file_database_env(tmp_path / "var")
    env["PATH"] = f"{tools}:{env['PATH']}"
    env["DATABASE_URL"] = "postgres://keeper:S3cret-Lantern@127.0.0.1:5432/routinie_live"
    failed = routinie(env, "backup", str(tmp_path / "nightly.backup"))
    assert failed.returncode != 0
    assert "pg_dump failed; no backup was written" in failed.stderr
    assert "this stand-in always fails" in failed.stderr
    assert "S3cret-Lantern" not in failed.stdout + failed.stderr
    argv = (tools / "argv").read_text()
    assert "--format=custom" in argv
    assert "S3cret-Lantern" not in argv
    assert (tools / "env").read_text().split() == [
        "PGPASSWORD=S3cret-Lantern",
        "PGUSER=keeper",
        "PGDATABASE=routinie_live",
    ]
    assert not (tmp_path / "nightly.backup").exists()
    assert not list(tmp_path.glob(".nightly.backup.*"))
