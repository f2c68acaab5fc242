"""A fresh database for one benchmark run, never an existing one.

Without DATABASE_URL: a new SQLite file in a temporary DATA_DIR. With DATABASE_URL (PostgreSQL):
that URL is only used to connect to its server, where a scratch database
`routinie_bench_<pid>` is created for the run and dropped afterwards.

Settings are production-like (`ROUTINIE_ENV=production`, DEBUG off, HTTPS via the
`X-Forwarded-Proto` header) so what is measured is what would be deployed.
"""

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
        return f"PostgreSQL scratch database {self.scratch_name}"

    def setup_django(self) -> None:
        """Configure this process for the database, set Django up, migrate, collect static
        files (as a deployment does: the workers' static index is part of their memory)."""
        os.environ.update(self.env)
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
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


@contextmanager
def _scratch_postgres(server_url: str) -> Iterator[tuple[str, str]]:
    """Create `routinie_bench_<pid>` on the server `server_url` names; drop it afterwards."""
    parts = urlsplit(server_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme}://…")
    name = f"routinie_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped scratch database {name}", file=sys.stderr)


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
