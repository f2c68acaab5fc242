"""Load a large data set (`full`) into a migrated PostgreSQL database with COPY.

Phases, each timed: record the loaded tables' indexes and constraints and drop them; generate
the rows a chunk of users at a time (bench/full_rows.py) and stream them, one COPY per table
open for the whole phase on its own connection (the tables fill in parallel on the server while
this process formats the next chunk); recreate the keys and indexes, then the foreign keys (NOT
VALID, then validated), several at a time; add the heavy user through the ORM (73,000 entries:
seconds); VACUUM (ANALYZE). Each COPY runs with FREEZE in the transaction that truncated its
table, so the rows are written frozen and all-visible (index-only scans work without a
VACUUM pass).
"""

import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from psycopg import sql
from psycopg.copy import Copy, QueuedLibpqWriter

from bench import full_rows, schema_objects
from bench import generate as gen

JOBS = 2  # index builds and validations at a time (2 cores)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def copy_into(
    cursor: psycopg.Cursor[Any], table: str, columns: list[str], *, freeze: bool = False
) -> Iterator[Copy]:
    """COPY … FROM STDIN into `table`'s `columns` (quoted); a worker thread sends the data, so
    the caller goes on formatting while the server reads."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    options = " WITH (FREEZE)" if freeze else ""
    statement = f'COPY "{table}" ({quoted}) FROM STDIN{options}'
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:  # type: ignore[arg-type]
        yield copy


@dataclass
class Loaded:
    seconds: dict[str, float] = field(default_factory=dict)  # per phase
    rows: dict[str, int] = field(default_factory=dict)  # per table
    sizes: dict[str, int] = field(default_factory=dict)  # bytes per table, with indexes
    database_bytes: int = 0
    sample_users: list[gen.SampleUser] = field(default_factory=list)


def check_columns(conn: psycopg.Connection[Any]) -> None:
    """The tables must have the columns the generator writes, and no other required one."""
    for table, columns in full_rows.COLUMNS.items():
        found = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
        ).fetchall()
        if {c for (c,) in found} != set(columns):
            raise SystemExit(
                f"{table} has columns {sorted(c for (c,) in found)}, the generator writes "
                f"{sorted(columns)}: update bench/full_rows.py to the models"
            )


def stream(url: str, writer: full_rows.Writer, samples: int) -> tuple[dict[str, int], list[Any]]:
    """Every chunk of rows into its table, one COPY (FREEZE) per table on its own connection."""
    counts = dict.fromkeys(full_rows.TABLES, 0)
    found: list[Any] = []
    with ExitStack() as stack:
        copies = {}
        for table, columns in full_rows.COLUMNS.items():
            conn = stack.enter_context(psycopg.connect(url))
            conn.execute("SET synchronous_commit = off")
            stack.enter_context(conn.transaction())
            conn.execute(f'TRUNCATE "{table}"')  # type: ignore[arg-type]
            cursor = stack.enter_context(conn.cursor())
            copies[table] = stack.enter_context(
                copy_into(cursor, table, list(columns), freeze=True)
            )
        for number, chunk in enumerate(writer.chunks(samples)):
            for table, lines in chunk.text.items():
                copies[table].write("".join(lines))
                counts[table] += len(lines)
            found += chunk.samples
            if number % 25 == 24:
                users, entries = counts["accounts_user"], counts["tracking_timeentry"]
                log(f"  {users:,} users, {entries:,} entries")
    return counts, found


def restart_identities(conn: psycopg.Connection[Any]) -> None:
    """The identity columns go on after the ids the load wrote."""
    for table in full_rows.TABLES:
        (sequence,) = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()  # type: ignore[misc]
        if sequence is None:
            continue  # a uuid key
        statement = sql.SQL("SELECT setval(%s, max(id)) FROM {} HAVING count(*) > 0")
        conn.execute(statement.format(sql.Identifier(table)), [sequence])


def add_heavy_user(
    heavy: gen.HeavyUser, seed: int, anchor: date, password: str, version: Any
) -> Any:
    """The heavy user through the ORM (as `small` writes it), after the indexes are back."""
    rng = random.Random(f"{seed}/heavy")  # noqa: S311 (reproducible data, not secrets)
    builder = gen.Builder(rng, anchor, password, version)
    rows = gen.Rows()
    user = gen._heavy_user(builder, rows, heavy)
    gen._save(rows, {})
    return user.id


def sizes(conn: psycopg.Connection[Any], loaded: Loaded) -> None:
    for table in full_rows.TABLES:
        count = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        loaded.rows[table] = conn.execute(count).fetchone()[0]  # type: ignore[index]
        loaded.sizes[table] = conn.execute(
            "SELECT pg_total_relation_size(%s::regclass)", [table]
        ).fetchone()[0]  # type: ignore[index]
    loaded.database_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[
        0
    ]  # type: ignore[index]


def load(
    url: str,
    population: gen.Population,
    heavy: gen.HeavyUser | None,
    *,
    seed: int,
    anchor: date,
    samples: int = 64,
    jobs: int = JOBS,
    progress: Callable[[str], None] = log,
) -> tuple[gen.Generated, Loaded]:
    """Load into the migrated PostgreSQL database `url` names (Django set up on it)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from routinie.policy.models import PolicyVersion

    if connection.vendor != "postgresql":
        raise SystemExit("the COPY loader needs PostgreSQL (DATABASE_URL=postgres://…)")
    began = time.perf_counter()
    loaded = Loaded()
    version = PolicyVersion.objects.order_by("-version").first()
    if version is None:
        raise SystemExit("no policy version: migrate first")
    password = make_password(gen.PASSWORD)
    connection.close()
    with psycopg.connect(url, autocommit=True) as conn:
        check_columns(conn)
        objects = schema_objects.recorded(conn, full_rows.TABLES)
        schema_objects.drop(conn, schema_objects.droppable(objects))

    def phase(name: str, started: float) -> None:
        loaded.seconds[name] = time.perf_counter() - started
        progress(f"{name}: {loaded.seconds[name]:.1f} s")

    t = time.perf_counter()
    writer = full_rows.Writer(population, seed, anchor, password, version.pk)
    counts, loaded.sample_users = stream(url, writer, samples)
    with psycopg.connect(url, autocommit=True) as conn:
        restart_identities(conn)
    phase("generate + COPY", t)
    t = time.perf_counter()
    dropped = schema_objects.droppable(objects)
    schema_objects.recreate_keys_and_indexes(url, dropped, jobs, progress)
    phase("keys and indexes", t)
    t = time.perf_counter()
    schema_objects.recreate_foreign_keys(url, dropped, jobs, progress)
    phase("foreign keys", t)
    t = time.perf_counter()
    heavy_id = None
    if heavy is not None:
        heavy_id = add_heavy_user(heavy, seed, anchor, password, version)
        connection.close()
    phase("heavy user (ORM)", t)
    t = time.perf_counter()
    vacuum = [f'VACUUM (ANALYZE) "{table}"' for table in full_rows.TABLES]
    schema_objects.in_parallel(url, vacuum, jobs, progress)
    phase("vacuum + analyze", t)
    with psycopg.connect(url) as conn:
        sizes(conn, loaded)
    data = gen.Generated(
        seed, anchor, counts, time.perf_counter() - began, loaded.sample_users, heavy_id
    )
    return data, loaded


def report(loaded: Loaded) -> str:
    lines = ["phase                       seconds"]
    lines += [f"{name:<26} {seconds:8.1f}" for name, seconds in loaded.seconds.items()]
    lines.append(f"{'total':<26} {sum(loaded.seconds.values()):8.1f}")
    lines.append("")
    lines.append("table                            rows     size (with indexes)")
    for table, rows in loaded.rows.items():
        lines.append(f"{table:<26} {rows:>12,} {loaded.sizes[table] / 2**30:8.2f} GiB")
    lines.append(f"database size: {loaded.database_bytes / 2**30:.2f} GiB")
    return "\n".join(lines)


def main() -> None:
    """A slice of any size into a database of its own (created, or emptied, and migrated):
    for trying the loader, and for the test. The full data set: `python -m bench.generate`."""
    import argparse
    import json
    import os

    from bench.database import create_database, drop_database, kept_database

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--database", required=True, help="name; dropped first if it exists")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--entries", type=int, help="default: 100 per user (as full)")
    parser.add_argument("--routines", type=int, help="default: 3 per user")
    parser.add_argument("--checkins", type=int, help="default: 90 per user")
    parser.add_argument("--heavy-days", type=int, default=0, help="the heavy user's days (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", type=date.fromisoformat, default=date.today())
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--template", help="a migrated database to copy instead of migrating")
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    population = gen.Population(
        users=args.users,
        entries=args.entries if args.entries is not None else args.users * 100,
        routines=args.routines if args.routines is not None else args.users * 3,
        checkins=args.checkins if args.checkins is not None else args.users * 90,
    )
    heavy = None
    if args.heavy_days:
        share = args.heavy_days / gen.HEAVY_USERS["heavy"].days
        heavy = gen.HeavyUser(args.heavy_days, checkins=round(70_000 * share))
    with kept_database(server, args.database) as db:
        drop_database(server, args.database)
        create_database(server, args.database, args.template)
        db.setup_django(static=False)
        data, loaded = load(
            db.env["DATABASE_URL"],
            population,
            heavy,
            seed=args.seed,
            anchor=args.anchor,
            jobs=args.jobs,
        )
    log(report(loaded))
    out = {"heavy_user_id": str(data.heavy_user_id), "rows": loaded.rows}
    out["sample_user_ids"] = [str(u.id) for u in data.sample_users]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
