"""The statistics scenario: compute every account's key figures (P05) for a large population.

    python -m bench.stats --accounts 50000                     # SQLite, in a temporary DATA_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.stats --accounts 500000
        # PostgreSQL: loaded with COPY into a scratch database routinie_bench_<pid>, then dropped

It loads N accounts with a few entries, routines and check-ins each (seeded, reproducible; COPY
on PostgreSQL, batched INSERTs on SQLite), then times, in this process:

- the first computation (every row new, every row written);
- a second one with nothing changed (every row read and compared, none written);
- one after 1 % of the accounts tracked something new (1 % written);
- the staff release and the public release built from the table;

and the extra peak memory of a full computation in a fresh process (VmHWM over its RSS once
Django is set up: in this process the load's garbage would hide it). Prints the table and
writes bench/results/stats-<timestamp>.json.
"""

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.copy_load import copy_into
from bench.generate import ZONES
from bench.report import Row, table, write_json

RESULTS = Path(__file__).resolve().parent / "results"
KINDS = ("daily", "weekdays", "times_per_week", "every_n_days")
BATCH = 20_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Data ----------------------------------------------------------------------------------------
class Columns:
    """A model's stored columns (auto ids left to the database) with their defaults, so rows
    can be written with only the values that matter here."""

    def __init__(self, model: Any):
        from django.db.models import AutoField, BigAutoField

        self.model = model
        self.fields = [
            f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)
        ]
        self.names = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def row(self, **values: Any) -> tuple[Any, ...]:
        return tuple(values.get(f.attname, self.defaults[f.attname]) for f in self.fields)


def _people(n: int, seed: int, now: datetime) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Rows for `n` accounts, a batch of tables at a time."""
    from django.contrib.auth.hashers import make_password

    from routinie.accounts.models import User
    from routinie.tracking.models import CheckIn, Routine, TimeEntry

    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    cols = {m: Columns(m) for m in (User, TimeEntry, Routine, CheckIn)}
    password = make_password("bench-Lantern-42")
    created = now - timedelta(days=400)
    batch: dict[Any, list[tuple[Any, ...]]] = {m: [] for m in cols}
    for i in range(n):
        user_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        batch[User].append(
            cols[User].row(
                id=user_id,
                password=password,
                name=f"Bench {i}",
                email=f"bench-{i:07d}@example.com",
                timezone=rng.choice(ZONES),
                created_at=created,
                password_changed_at=created,
            )
        )
        for _ in range(rng.choice((0, 1, 2, 3, 4, 4, 5, 6, 8))):
            start = now - timedelta(days=rng.randint(0, 59), minutes=rng.randint(60, 900))
            end = start + timedelta(minutes=rng.randint(10, 240))
            entry_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            batch[TimeEntry].append(
                cols[TimeEntry].row(
                    id=entry_id, user_id=user_id, start=start, end=end, created_at=end
                )
            )
        if rng.random() < 0.35:
            _routine(rng, cols, batch, user_id, now)
        if len(batch[User]) >= BATCH // 4:
            yield batch
            batch = {m: [] for m in cols}
    yield batch


def _routine(
    rng: random.Random,
    cols: dict[Any, Columns],
    batch: dict[Any, list[Any]],
    user_id: uuid.UUID,
    now: datetime,
) -> None:
    from routinie.tracking.models import CheckIn, Routine

    routine_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    kind = rng.choice(KINDS)
    batch[Routine].append(
        cols[Routine].row(
            id=routine_id,
            user_id=user_id,
            name="Walk",
            schedule_kind=kind,
            schedule_days=0b11111 if kind == "weekdays" else 0,
            schedule_number={"times_per_week": 3, "every_n_days": 2}.get(kind, 0),
            starts_on=date(2026, 1, 1),
            created_at=now - timedelta(days=60),
        )
    )
    today = now.date()
    for back in rng.sample(range(1, 41), rng.randint(0, 10)):
        batch[CheckIn].append(
            cols[CheckIn].row(
                routine_id=routine_id,
                user_id=user_id,
                date=today - timedelta(days=back),
                status="done",
                created_at=now,
            )
        )


def _write(model: Any, names: list[str], rows: list[tuple[Any, ...]], fields: list[Any]) -> None:
    from django.db import connection

    if not rows:
        return
    table_name = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with copy_into(cursor.cursor, model._meta.db_table, names) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(names))
        prepared = [
            tuple(f.get_db_prep_value(v, connection) for f, v in zip(fields, row, strict=True))
            for row in rows
        ]
        cursor.executemany(f"INSERT INTO {table_name} ({quoted}) VALUES ({marks})", prepared)  # noqa: S608


def load(n: int, seed: int, now: datetime) -> dict[str, int]:
    from django.db import connection, transaction

    counts: dict[str, int] = {}
    for batch in _people(n, seed, now):
        with transaction.atomic():
            for model, rows in batch.items():
                columns = Columns(model)
                _write(model, columns.names, rows, columns.fields)
                counts[model.__name__] = counts.get(model.__name__, 0) + len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


# --- Measuring ----------------------------------------------------------------------------
def _status_kb(name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{name} not in /proc/self/status")


def measured(fn: Any) -> tuple[Any, float, float]:
    """(result, seconds, extra peak MB) of one call."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")  # reset VmHWM to the current RSS
    before = _status_kb("VmRSS")
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    return result, seconds, (_status_kb("VmHWM") - before) / 1024


def _touch_one_percent(n: int, now: datetime) -> int:
    """A new entry for every hundredth account (by id order)."""
    from routinie.accounts.models import User
    from routinie.tracking.models import TimeEntry

    ids = list(User.objects.order_by("id").values_list("id", flat=True)[::100])
    TimeEntry.objects.bulk_create(
        TimeEntry(user_id=i, start=now - timedelta(hours=3), end=now - timedelta(hours=2))
        for i in ids
    )
    return len(ids)


def scenario(n: int) -> list[Row]:
    from django.utils import timezone

    from routinie.stats.keyfigures import refresh_key_figures
    from routinie.stats.releases import publish_public_release, publish_staff_release

    rows: list[Row] = []
    name = f"key figures, {n:,} accounts"
    for label, before in (
        ("first computation (all rows written)", None),
        ("again, nothing changed (none written)", None),
        ("after 1 % of accounts changed", lambda: _touch_one_percent(n, timezone.now())),
    ):
        if before:
            before()
        result, seconds, _ = measured(refresh_key_figures)
        log(f"  {label}: {seconds:.1f} s, {result.written:,} written")
        row = Row(name, f"{label}: time", "s", [seconds])
        row.details = {
            "accounts": result.accounts,
            "written": result.written,
            "unchanged": result.unchanged,
        }
        rows.append(row)
    peak = _refresh_memory_in_fresh_process()
    log(f"  a full computation in a fresh process: peak RSS +{peak['extra_mb']:.1f} MB")
    memory = Row(name, "extra peak memory, fresh process", "MB", [peak["extra_mb"]])
    memory.details = peak
    rows.append(memory)
    _, seconds, _ = measured(publish_staff_release)
    rows.append(Row(name, "staff release (12 distributions)", "s", [seconds]))
    _, seconds, _ = measured(publish_public_release)
    rows.append(Row(name, "public release (5 figures, OpenDP noise)", "s", [seconds]))
    return rows


def _refresh_memory_in_fresh_process() -> dict[str, float]:
    """A full computation (every row read and compared) in a new process, where nothing
    earlier has raised the peak: its VmHWM over its RSS once Django is set up."""
    command = [sys.executable, "-m", "bench.stats", "--refresh-memory"]
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        command, capture_output=True, text=True, env=os.environ.copy(), check=False, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(f"refresh memory failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def refresh_memory() -> dict[str, float]:
    import django

    django.setup()
    from routinie.accounts.models import User
    from routinie.stats.keyfigures import refresh_key_figures

    User.objects.exists()  # connected, models loaded
    gc.collect()
    before = _status_kb("VmRSS")
    result, seconds, _ = measured(refresh_key_figures)
    return {
        "extra_mb": (_status_kb("VmHWM") - before) / 1024,
        "rss_before_mb": before / 1024,
        "seconds": seconds,
        "accounts": result.accounts,
    }


def main() -> None:
    from bench.database import fresh_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite directory")
    parser.add_argument("--refresh-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.refresh_memory:  # the child process of _refresh_memory_in_fresh_process
        print(json.dumps(refresh_memory()))
        return
    started = datetime.now(UTC)
    with fresh_database(keep=args.keep) as db:
        log(f"database: {db.description}")
        db.setup_django()
        began = time.perf_counter()
        counts = load(args.accounts, args.seed, datetime.now(UTC))
        load_seconds = time.perf_counter() - began
        log(f"loaded {counts} in {load_seconds:.0f} s")
        rows = [Row("data set", f"load {args.accounts:,} accounts", "s", [load_seconds])]
        rows[0].details = {"counts": counts}
        rows += scenario(args.accounts)
        from bench.run import database_version, machine

        meta = {"database": database_version(), "counts": counts, "machine": machine()}
    print(table(rows))
    path = write_json(RESULTS / f"stats-{started:%Y%m%dT%H%M%SZ}.json", rows, meta)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
