"""A fresh database for one benchmark run, never an existing one.

Without DATABASE_URL: a new SQLite file in a temporary DATA_DIR. With DATABASE_URL (PostgreSQL):
that URL is only used to connect to its server, where a scratch database
`routinie_bench_<pid>` is created for the run and dropped afterwards.

Settings are production-like (`ROUTINIE_ENV=production`, DEBUG off, HTTPS via the
`X-Forwarded-Proto` header) so what is measured is what would be deployed.
"""

import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


@dataclass
class Database:
    vendor: str  # "sqlite" or "postgresql"
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)  # for this process and the servers
    scratch_name: str | None = None

    @property
    def description(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite in {self.data_dir}"
        return f"PostgreSQL database {self.scratch_name}"

    def setup_django(self, *, static: bool = True) -> None:
        """Configure this process for the database, set Django up, migrate, collect static
        files (as a deployment does: the workers' static index is part of their memory;
        `static=False` when no server runs)."""
        os.environ.update(self.env)
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        if static:
            call_command("collectstatic", verbosity=0, interactive=False)


def production_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "routinie.settings",
        "ROUTINIE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "TRUST_X_FORWARDED_FOR": "0",
        "DEBUG": "0",
        "DATA_DIR": str(data_dir),
        "EMAIL_URL": "memory:",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def postgres_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server `server_url` names (PostgreSQL only)."""
    parts = urlsplit(server_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme}://…")
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(server_url: str, name: str, template: str | None = None) -> None:
    """Database `name`, empty or a copy of `template` (a migrated one: no migrating again)."""
    like = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{like}')


def drop_database(server_url: str, name: str) -> None:
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"dropped database {name}", file=sys.stderr)


def read_marker(server_url: str, name: str) -> dict[str, Any] | None:
    """What a kept database holds (its COMMENT, JSON), None when it has none or is not there."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None or not row[0]:
        return None
    marker: dict[str, Any] = json.loads(row[0])
    return marker


def write_marker(server_url: str, name: str, marker: dict[str, Any]) -> None:
    text = json.dumps(marker, sort_keys=True).replace("'", "''")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{text}'")  # type: ignore[arg-type]


@contextmanager
def _scratch_postgres(server_url: str) -> Iterator[tuple[str, str]]:
    """Create `routinie_bench_<pid>` on the server `server_url` names; drop it afterwards."""
    name = f"routinie_bench_{os.getpid()}"
    url = postgres_url(server_url, name)
    create_database(server_url, name)
    try:
        yield name, url
    finally:
        drop_database(server_url, name)


@contextmanager
def kept_database(server_url: str, name: str) -> Iterator[Database]:
    """Database `name` (it must exist), left in place afterwards: for a data set that takes
    long to load (`full`). Only the temporary DATA_DIR is removed."""
    data_dir = Path(tempfile.mkdtemp(prefix="routinie-bench-"))
    try:
        env = production_env(data_dir, postgres_url(server_url, name))
        yield Database("postgresql", data_dir, env, name)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def fresh_database(*, keep: bool = False, server_url: str | None = None) -> Iterator[Database]:
    """A database for one run: scratch PostgreSQL on the server `server_url` names (default:
    DATABASE_URL) when there is one, else SQLite (`server_url=""` asks for SQLite)."""
    if server_url is None:
        server_url = os.environ.get("DATABASE_URL", "")
    data_dir = Path(tempfile.mkdtemp(prefix="routinie-bench-"))
    try:
        if server_url:
            with _scratch_postgres(server_url) as (name, url):
                yield Database("postgresql", data_dir, production_env(data_dir, url), name)
        else:
            yield Database("sqlite", data_dir, production_env(data_dir, None))
    finally:
        if keep:
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
