"""A read replica (DATABASE_REPLICA_URL), from outside: `routinie serve` on this run's test
database (the primary) with a streaming replica of its cluster made by `pg_basebackup`
(tests/e2e/standby.py). PostgreSQL only: it runs in the PostgreSQL leg of `.ci/run` and is
skipped on SQLite.

What it shows: a report is read from the replica (with replay paused, a change made behind the
app's back is not in it while a page read from the primary has it; resumed, the report catches
up); the person who just wrote reads their own write at once (from the primary) while another
person's report still comes from the paused replica; writes go to the primary only (they
succeed while the replica, read-only, has none of them); a stopped replica leaves every report
answering from the primary, and the log says so without personal data. The export task, whose
reads are lag-tolerant too, builds an archive with the replica up.
"""

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection

from tests.e2e.commands import database_url, file_database_env, wait_until
from tests.e2e.site_client import STRONG_PASSWORD
from tests.e2e.standby import Standby, standby_of
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = 3600


@pytest.fixture
def standby() -> Iterator[Standby]:
    if connection.vendor != "postgresql":
        pytest.skip("a read replica needs PostgreSQL: runs in the PostgreSQL leg (DATABASE_URL)")
    with standby_of(connection.settings_dict) as replica:
        yield replica


@pytest.fixture
def server(standby: Standby, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`routinie serve` with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the
    replica; its base address and its log."""
    env = file_database_env(tmp_path / "var", EMAIL_URL="file:", DEBUG="0", ROUTINIE_ENV="dev")
    for name in ("DJANGO_SETTINGS_MODULE", "ERASURE_JOURNAL"):
        env.pop(name, None)
    env["DATABASE_URL"] = database_url(connection.settings_dict)
    env["DATABASE_REPLICA_URL"] = database_url(connection.settings_dict, port=standby.port)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "routinie", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _answers(base + "/"), 60), log.read_text()[-2000:]
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class Person:
    """Someone signed up through the API, with a token."""

    def __init__(self, base: str, name: str) -> None:
        self.http = httpx.Client(base_url=base + "/api/v1", timeout=10)
        email = f"{name.lower()}@example.test"
        signed_up = self.http.post(
            "/auth/signup",
            json={"name": name, "email": email, "password": STRONG_PASSWORD}
            | {"accept_policy_version": 1},
        )
        assert signed_up.status_code == 201, signed_up.text
        token = self.http.post(
            "/auth/tokens", json={"email": email, "password": STRONG_PASSWORD, "label": "t"}
        )
        assert token.status_code == 201, token.text
        self.http.headers["Authorization"] = f"Bearer {token.json()['token']}"

    def add_entry(self, hours_ago: int, description: str) -> str:
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago)
        created = self.http.post(
            "/time-entries",
            json={
                "description": description,
                "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat(),
            },
        )
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def report_seconds(self) -> int:
        """The report's total (lag-tolerant: from the replica when it is up to date enough)."""
        today = datetime.now(UTC).date()
        report = self.http.get(
            "/reports/summary",
            params={"from": str(today - timedelta(days=3)), "to": str(today + timedelta(days=1))},
        )
        assert report.status_code == 200, report.text
        return int(report.json()["total_seconds"])

    def export_archive(self, data_dir: Path) -> str:
        """Ask for a data export, wait for the task worker to build it; the archive's entries."""
        export_id = self.http.post("/me/export").json()["id"]
        assert wait_until(
            lambda: self.http.get(f"/me/export/{export_id}").json()["status"] == "ready", 30
        )
        with zipfile.ZipFile(data_dir / "exports" / f"{export_id}.zip") as archive:
            return archive.read("tracking_timeentry.json").decode()

    def entry_end(self, entry_id: str) -> str:
        """An entry as the primary has it (the entries API is not lag-tolerant)."""
        entry = self.http.get(f"/time-entries/{entry_id}")
        assert entry.status_code == 200, entry.text
        return str(entry.json()["end"])


def _entries_of(database: Any, description: str) -> int:
    return int(
        database.execute(
            "SELECT count(*) FROM tracking_timeentry WHERE description = %s", (description,)
        ).fetchone()[0]
    )


def test_reports_read_the_replica_with_read_your_writes_and_survive_its_loss(
    standby: Standby, server: tuple[str, Path], tmp_path: Path
):
    base, log = server
    ana, ben = Person(base, "Ana"), Person(base, "Ben")
    ana_entry = ana.add_entry(5, "Ana's first")
    ben_entry = ben.add_entry(5, "Ben's first")
    # The export task reads through the router too (server-side cursors on a hot standby).
    assert "Ana's first" in ana.export_archive(tmp_path / "var")
    standby.catch_up()
    assert ana.report_seconds() == HOUR
    assert ben.report_seconds() == HOUR

    # (1) Reports come from the replica: with its replay paused, an hour added behind the
    # app's back is not in them, while the entry read from the primary has it.
    standby.pause()
    before = ana.entry_end(ana_entry)
    standby.primary.execute(
        'UPDATE tracking_timeentry SET "end" = "end" + interval \'1 hour\' WHERE id IN (%s, %s)',
        (ana_entry, ben_entry),
    )
    assert ana.entry_end(ana_entry) != before  # the primary has the change
    assert ana.report_seconds() == HOUR  # the replica does not yet
    assert ben.report_seconds() == HOUR

    # (2) Read-your-writes: Ana adds an entry; her report has it at once (and the hour added
    # behind the app's back): served by the primary. Ben wrote nothing: still the replica.
    ana.add_entry(3, "Ana's second")
    assert ana.report_seconds() == 2 * HOUR + HOUR
    assert ben.report_seconds() == HOUR

    # (4) Writes go to the primary only: the entry is there, not on the paused replica.
    assert _entries_of(standby.primary, "Ana's second") == 1
    with standby.connect() as replica:
        assert _entries_of(replica, "Ana's second") == 0

    # Resumed, the replica catches up and Ben's report (still from it) has the hour.
    standby.resume()
    assert wait_until(lambda: ben.report_seconds() == 2 * HOUR, 20)
    standby.catch_up()
    with standby.connect() as replica:
        assert _entries_of(replica, "Ana's second") == 1

    # (3) The replica stopped: every report still answers, from the primary, and new writes
    # show at once.
    standby.stop()
    assert ben.report_seconds() == 2 * HOUR
    ben.add_entry(2, "Ben's second")
    assert ben.report_seconds() == 3 * HOUR
    assert ana.report_seconds() == 3 * HOUR
    assert httpx.get(base + "/stats/").status_code == 200
    assert httpx.get(base + "/api/v1/public/stats").status_code == 200
    said = log.read_text()
    assert "The read replica failed (OperationalError)" in said
    failures = [line for line in said.splitlines() if "read replica" in line]
    assert not any("127.0.0.1" in line or "@" in line for line in failures), failures
