"""A PostgreSQL streaming replica of the server the tests run on, made for one test.

`pg_basebackup -R` copies the whole cluster into a temporary directory owned by `postgres`
(mode 0700), which is started with `pg_ctl` on a free loopback port as a hot standby streaming
from the primary. A base backup copies every database of the cluster, so it is refused when the
cluster holds more than `MAX_CLUSTER_BYTES` (a benchmark's data set may be loaded there).
The primary's pg_hba.conf must allow replication from loopback (`.ci/run` adds the line).
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from tests.conftest import require
from tests.e2e.commands import wait_until
from tests.smtp_sink import free_port

MAX_CLUSTER_BYTES = 3 * 1024**3
# Settings a hot standby needs at least as high as its primary's.
PRIMARY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the `postgres` user when we are root (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _show(primary: psycopg.Connection[Any], name: str) -> str:
    return str(primary.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]


@dataclass
class Standby:
    """The running replica: its port and how to reach a database on it."""

    port: int
    data: Path
    bindir: Path
    database: str
    primary: psycopg.Connection[Any]  # to the same database on the primary, autocommit

    def connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=self.database, autocommit=True
        )

    def query(self, sql: str, *params: Any) -> Any:
        with self.connect() as replica:
            return replica.execute(sql, params).fetchone()[0]  # type: ignore[index]

    def pause(self) -> None:
        """Stop replaying the WAL (it is still received), and wait until it has stopped."""
        self.query("SELECT pg_wal_replay_pause()")
        paused = wait_until(
            lambda: self.query("SELECT pg_get_wal_replay_pause_state()") == "paused"
        )
        assert paused, "the replica did not pause"

    def resume(self) -> None:
        self.query("SELECT pg_wal_replay_resume()")

    def catch_up(self) -> None:
        """Wait until everything the primary wrote so far is replayed here."""
        target = self.primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
        caught_up = wait_until(
            lambda: self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", str(target))
        )
        assert caught_up, "the replica did not catch up"

    def stop(self) -> None:
        _pg_ctl(self.bindir, self.data, "stop", "-m", "fast")


def _pg_ctl(bindir: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(bindir / "pg_ctl"), "-D", str(data), *args]
    return subprocess.run(
        _as_postgres(command), capture_output=True, text=True, timeout=90, check=False
    )


def _configure(data: Path, primary: psycopg.Connection[Any], port: int) -> None:
    """The standby's own configuration files (a Debian cluster keeps its own in /etc)."""
    minimums = "".join(f"{name} = {_show(primary, name)}\n" for name in PRIMARY_MINIMUMS)
    (data / "postgresql.conf").write_text(
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        "unix_socket_directories = ''\n"
        "hot_standby = on\n"
        "hot_standby_feedback = on\n"
        "shared_buffers = 32MB\n" + minimums
    )
    (data / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            os.chown(data / name, postgres.pw_uid, postgres.pw_gid)


def _private_directory() -> Path:
    """A temporary directory only `postgres` may enter (pg_ctl insists on 0700)."""
    top = Path(tempfile.mkdtemp(prefix="routinie-standby-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(top, postgres.pw_uid, postgres.pw_gid)
    top.chmod(0o700)
    return top


@contextmanager
def standby_of(db: dict[str, Any]) -> Iterator[Standby]:
    """A hot standby of the cluster of `db` (Django's settings of a database on it), streaming;
    stopped and removed at the end whatever happens. Skipped locally (failed in CI) when it
    cannot be made."""
    host, port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    primary = psycopg.connect(
        host=host, port=port, user=db["USER"] or "postgres", dbname=db["NAME"], autocommit=True
    )
    with primary:
        size = int(
            primary.execute("SELECT sum(pg_database_size(datname)) FROM pg_database").fetchone()[0]
        )  # type: ignore[index]
        require(
            size <= MAX_CLUSTER_BYTES,
            f"the PostgreSQL cluster holds {size / 1024**3:.1f} GB (over 3 GB, a benchmark's "
            "data set?): a base backup copies all of it, so no replica is made",
        )
        major = int(_show(primary, "server_version_num")) // 10000
        bindir = Path(f"/usr/lib/postgresql/{major}/bin")
        require(
            (bindir / "pg_basebackup").exists() and (bindir / "pg_ctl").exists(),
            f"PostgreSQL {major}'s server programs are not in {bindir}",
        )
        top = _private_directory()
        data = top / "data"
        standby = Standby(free_port(), data, bindir, db["NAME"], primary)
        try:
            copied = subprocess.run(
                _as_postgres(
                    [
                        str(bindir / "pg_basebackup"),
                        *("-h", host, "-p", str(port), "-U", db["USER"] or "postgres"),
                        *("-D", str(data), "-R", "-X", "stream", "--checkpoint=fast"),
                    ]
                ),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            require(
                copied.returncode == 0,
                "pg_basebackup failed (does pg_hba.conf allow `host replication all "
                f"127.0.0.1/32`? .ci/run adds it): {copied.stderr.strip()[-300:]}",
            )
            _configure(data, primary, standby.port)
            started = _pg_ctl(bindir, data, "start", "-w", "-t", "60", "-l", str(top / "log"))
            log = (top / "log").read_text() if (top / "log").exists() else ""
            require(started.returncode == 0, f"the replica did not start: {log[-500:]}")
            yield standby
        finally:
            standby.stop()
            shutil.rmtree(top, ignore_errors=True)
