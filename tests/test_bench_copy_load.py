"""The COPY loader of the `full` data set (bench/copy_load.py) at a tiny size, run as an operator
runs it (`python -m bench.copy_load`), into scratch PostgreSQL databases of its own on the
server the suite uses (DATABASE_URL when it is PostgreSQL, else 127.0.0.1:5432): exact row
counts, the migrated schema's every index and constraint back afterwards (compared with a
freshly migrated database), foreign keys validated, the same seed giving the same rows, and
the app's report reading what was loaded.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from bench.database import postgres_url, production_env

from tests.conftest import require

REPO = Path(__file__).resolve().parent.parent
USERS, ENTRIES, ROUTINES, CHECKINS, HEAVY_DAYS = 50, 3_000, 150, 2_000, 30
ANCHOR = date.today() - timedelta(days=2)  # every entry has ended by now, whatever the zone
SCHEMA = """
SELECT 'index', tablename, indexname, indexdef, true FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
"""
TABLES = (
    "policy_policyacceptance",
    "tracking_project",
    "tracking_tag",
    "tracking_routine",
    "tracking_timeentry",
    "tracking_timeentry_tags",
    "tracking_checkin",
)


def _server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        require(False, f"no PostgreSQL server at {url.split('@')[-1]} for the COPY loader")
    return url


def _env(server: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**env, "DATABASE_URL": server, **extra}


def _load(server: str, name: str, template: str) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.copy_load",
        *("--database", name, "--users", str(USERS), "--entries", str(ENTRIES)),
        *("--routines", str(ROUTINES), "--checkins", str(CHECKINS)),
        *("--heavy-days", str(HEAVY_DAYS), "--seed", "7", "--anchor", ANCHOR.isoformat()),
        *("--template", template),
    ]
    done = subprocess.run(
        command, cwd=REPO, env=_env(server), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def _migrated(server: str, name: str, data_dir: Path) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    env = {**_env(server), **production_env(data_dir, postgres_url(server, name))}
    done = subprocess.run(
        [sys.executable, "-m", "routinie", "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A database only migrated (ref) and two loads with the same seed into copies of it (a, b:
    the loader's own `migrate` has nothing left to do)."""
    server = _server()
    names = {k: f"routinie_bench_copytest_{os.getpid()}_{k}" for k in ("a", "b", "ref")}
    try:
        _migrated(server, names["ref"], tmp_path_factory.mktemp("ref"))
        a, b = _load(server, names["a"], names["ref"]), _load(server, names["b"], names["ref"])
        yield {"server": server, "names": names, "a": a, "b": b}
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _connect(loaded: dict[str, Any], which: str) -> psycopg.Connection[Any]:
    return psycopg.connect(postgres_url(loaded["server"], loaded["names"][which]))


def _one(conn: psycopg.Connection[Any], query: str, *params: Any) -> Any:
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return row[0]


def test_row_counts_are_exactly_the_data_sets(loaded: dict[str, Any]):
    heavy = loaded["a"]["heavy_user_id"]
    with _connect(loaded, "a") as conn:
        others = "WHERE user_id <> %s"
        assert _one(conn, "SELECT count(*) FROM accounts_user") == USERS + 1
        assert (
            _one(conn, "SELECT count(*) FROM accounts_user WHERE email_confirmed_at IS NULL") == 0
        )
        assert _one(conn, "SELECT count(*) FROM policy_policyacceptance") == USERS + 1
        assert _one(conn, f"SELECT count(*) FROM tracking_timeentry {others}", heavy) == ENTRIES
        assert _one(conn, f"SELECT count(*) FROM tracking_routine {others}", heavy) == ROUTINES
        assert _one(conn, f"SELECT count(*) FROM tracking_checkin {others}", heavy) == CHECKINS
        heavy_entries = "SELECT count(*) FROM tracking_timeentry WHERE user_id = %s"
        assert _one(conn, heavy_entries, heavy) == HEAVY_DAYS * 20
        kinds = "SELECT count(DISTINCT schedule_kind) FROM tracking_routine"
        assert _one(conn, kinds) == 4
        statuses = "SELECT count(DISTINCT status) FROM tracking_checkin"
        assert _one(conn, statuses) == 3
        assert _one(conn, "SELECT count(*) FROM tracking_timeentry_tags") > 0
        numeric = "SELECT count(*) FROM tracking_checkin WHERE value IS NOT NULL"
        assert _one(conn, numeric) > 0
    assert loaded["a"]["rows"]["tracking_timeentry"] == ENTRIES + HEAVY_DAYS * 20


def test_every_index_and_constraint_of_the_migrated_schema_is_back_and_valid(
    loaded: dict[str, Any],
):
    with _connect(loaded, "a") as conn:
        after_load = set(conn.execute(SCHEMA).fetchall())
    with _connect(loaded, "ref") as conn:
        migrated = set(conn.execute(SCHEMA).fetchall())
    assert after_load == migrated
    assert all(valid for *_, valid in after_load)  # foreign keys validated
    foreign_keys = [row for row in after_load if row[3].startswith("FOREIGN KEY")]
    assert len(foreign_keys) > 10


def test_the_same_seed_gives_the_same_rows(loaded: dict[str, Any]):
    def checksums(which: str) -> dict[str, str]:
        with _connect(loaded, which) as conn:
            sums = {
                t: _one(conn, f"SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {t} t")
                for t in TABLES
            }
            users = (
                "SELECT md5(string_agg(concat_ws('|', id, name, email, timezone, created_at, "
                "email_confirmed_at), ',' ORDER BY id)) FROM accounts_user"
            )  # not the password: one Argon2 hash per load, with its own salt
            sums["accounts_user"] = _one(conn, users)
            return sums

    assert loaded["a"]["sample_user_ids"] == loaded["b"]["sample_user_ids"]
    assert checksums("a") == checksums("b")


REPORT = """
from datetime import date
from routinie.accounts.models import User
from routinie.tracking.reports.selectors import summary
for pk in {ids!r}:
    s = summary(user=User.objects.get(pk=pk), first=date({first}), last=date({last}),
                group_by="project")
    print(pk, s.total_seconds, sum(g.entries for g in s.groups))
"""


def test_the_apps_report_reads_the_loaded_rows(loaded: dict[str, Any], tmp_path: Path):
    ids = [loaded["a"]["sample_user_ids"][0], loaded["a"]["heavy_user_id"]]
    first, last = ANCHOR - timedelta(days=HEAVY_DAYS + 400), ANCHOR + timedelta(days=1)
    script = REPORT.format(ids=ids, first=f"{first:%Y, %-m, %-d}", last=f"{last:%Y, %-m, %-d}")
    url = postgres_url(loaded["server"], loaded["names"]["a"])
    env = {**_env(loaded["server"]), **production_env(tmp_path, url)}
    done = subprocess.run(
        [sys.executable, "-m", "routinie", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line.split() for line in done.stdout.splitlines()]
    reported = {words[0]: words[1:] for words in lines if words and words[0] in ids}
    with _connect(loaded, "a") as conn:
        for pk in ids:
            seconds, count = conn.execute(
                'SELECT extract(epoch FROM sum("end" - start))::bigint, count(*) '
                "FROM tracking_timeentry WHERE user_id = %s",
                [pk],
            ).fetchone()  # type: ignore[misc]
            assert count > 0
            assert reported[pk] == [str(seconds), str(count)]


def test_without_postgresql_the_loader_says_so_and_does_nothing():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    for module, args in (
        ("bench.copy_load", ["--database", "routinie_bench_never", "--users", "1"]),
        ("bench.generate", ["--dataset", "full"]),
    ):
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "PostgreSQL" in done.stderr
        assert "Traceback" not in done.stderr
