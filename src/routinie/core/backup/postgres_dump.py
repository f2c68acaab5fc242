"""PostgreSQL: a backup is `pg_dump --format=custom` of DATABASE_URL's database (one snapshot,
taken while the platform runs); it records when it was taken in its own header ("Archive created
at", written in UTC because pg_dump and pg_restore run with TZ=UTC here). A restore is
`pg_restore --clean --if-exists --no-owner --single-transaction`: whole or not at all.

The connection goes to pg_dump and pg_restore through the environment (PGHOST, PGPASSWORD, …):
the password never appears on a command line (visible to every user of the machine in `ps`)
and never in what is printed."""

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections

from routinie.core.backup.kinds import BackupInfo, BackupRefused

CREATED = re.compile(r"^;\s+Archive created at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$", re.M)
MIGRATIONS_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE \S+ django_migrations ", re.M)
# The most of a tool's error output shown: its first lines say what went wrong.
ERROR_LINES = 5


def _client_environment() -> dict[str, str]:
    """This process's environment plus DATABASE_URL's connection, as libpq reads it."""
    settings = connections["default"].settings_dict
    given = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode"),
    }
    return {**os.environ, **{k: str(v) for k, v in given.items() if v}, "TZ": "UTC"}


def _run(tool: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(tool) is None:
        raise BackupRefused(
            f"{tool} is not installed: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), of the server's major version or newer."
        )
    return subprocess.run(  # noqa: S603 (our own arguments; the tool is on PATH)
        [tool, "--no-password", *arguments],
        env=_client_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


def _said(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return "\n".join(lines[:ERROR_LINES]) or f"exit status {result.returncode}"


def take(path: Path) -> BackupInfo:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        os.close(os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        result = _run("pg_dump", "--format=custom", f"--file={scratch}")
        if result.returncode != 0:
            raise BackupRefused(f"pg_dump failed; no backup was written:\n{_said(result)}")
        os.replace(scratch, path)
    except OSError as error:
        raise BackupRefused(f"The backup could not be written to {path}: {error}.") from error
    finally:
        scratch.unlink(missing_ok=True)
    return inspect(path)


def inspect(path: Path) -> BackupInfo:
    result = _run("pg_restore", "--list", str(path))
    if result.returncode != 0:
        raise BackupRefused(f"{path} cannot be read by pg_restore:\n{_said(result)}")
    created = CREATED.search(result.stdout)
    if created is None:
        raise BackupRefused(f"{path} does not say when it was taken.")
    if MIGRATIONS_TABLE.search(result.stdout) is None:
        raise BackupRefused(f"{path} is a pg_dump file, but not of Routinie's database.")
    taken_at = datetime.strptime(created.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return BackupInfo("postgresql", taken_at)


def restore(path: Path) -> None:
    database = str(connections["default"].settings_dict["NAME"])
    result = _run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={database}",
        str(path),
    )
    if result.returncode != 0:
        raise BackupRefused(
            f"pg_restore failed and rolled back; the database was not changed:\n{_said(result)}"
        )
