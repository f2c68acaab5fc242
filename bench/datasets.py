"""A run's data set: `quick`/`small` generated into a scratch database (dropped afterwards),
`full` loaded with COPY into a kept PostgreSQL database and reused while it matches.

The kept database is `routinie_bench_full_s<seed>` on the server DATABASE_URL names. Its
COMMENT (JSON) says what it holds: data set, heavy user, seed, anchor day, a digest of the
migrations it was loaded with and the load's figures. It is written last, so a load that
stopped half-way has none and is never reused. `--reuse` takes the kept database when data set,
heavy user and seed match (and the anchor, when `--anchor` is given) and the code has every
migration the database has applied (newer ones are applied to it: `migrate`, as in
production); otherwise it is dropped and loaded again. Remove it with
`python -m bench.generate --dataset full --drop` or
`psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE routinie_bench_full_s1 WITH (FORCE)'`.
"""

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from bench import copy_load
from bench import generate as gen
from bench.database import (
    Database,
    create_database,
    drop_database,
    fresh_database,
    kept_database,
    read_marker,
    write_marker,
)

KEPT = ("full",)  # data sets loaded once and kept


def kept_name(seed: int) -> str:
    return f"routinie_bench_full_s{seed}"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit("the full data set is PostgreSQL-only: set DATABASE_URL=postgres://…")
    return url


def migrations_digest() -> str:
    """A digest of the migrations the code has (Django set up): a kept database loaded with
    other migrations is not reused."""
    from django.db.migrations.loader import MigrationLoader

    names = sorted(f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def matches(marker: dict[str, Any] | None, wanted: dict[str, Any], anchor: date | None) -> bool:
    """The kept data is what is wanted (its migrations aside: `behind_only` judges those)."""
    if marker is None:
        return False
    keys = ("dataset", "heavy", "seed")
    same = all(marker.get(k) == wanted[k] for k in keys)
    return same and (anchor is None or marker.get("anchor") == anchor.isoformat())


def behind_only() -> bool:
    """Every migration the kept database has applied is one the code has: the code is the same
    or ahead, so `migrate` brings the data forward (as it would a production database) instead
    of loading 25 GB again. A database with a migration the code lacks is loaded again."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    applied = set(MigrationLoader(connection).applied_migrations)
    return applied <= set(MigrationLoader(None).disk_migrations)


def kept_data(marker: dict[str, Any], samples: int) -> gen.Generated:
    """What the run needs of a kept database: sample users (the first ones with routines, in
    the generator's order) and the heavy user."""
    from routinie.accounts.models import User
    from routinie.tracking.models import Routine

    users = (
        User.objects.filter(email__startswith="bench-", routines__isnull=False)
        .distinct()
        .order_by("email")[:samples]
    )
    found = []
    for user in users:
        mine = Routine.objects.filter(user=user).order_by("created_at", "id")
        routines = list(mine.values_list("id", flat=True))
        found.append(gen.SampleUser(user.pk, user.email, user.timezone, routines))
    heavy = User.objects.filter(email="heavy@example.com").values_list("pk", flat=True).first()
    anchor = date.fromisoformat(marker["anchor"])
    return gen.Generated(marker["seed"], anchor, marker["rows"], 0.0, found, heavy)


@contextmanager
def prepared(
    dataset: str,
    heavy: str | None,
    *,
    seed: int,
    anchor: date | None,
    reuse: bool = False,
    keep: bool = False,
    samples: int = 64,
) -> Iterator[tuple[Database, gen.Generated]]:
    """The database (Django set up on it) and what was generated into it."""
    heavy_user = gen.HEAVY_USERS.get(heavy or "")
    if dataset not in KEPT:
        with fresh_database(keep=keep) as db:
            db.setup_django()
            data = gen.generate(
                population=gen.POPULATIONS[dataset],
                heavy=heavy_user,
                seed=seed,
                anchor=anchor,
                samples=samples,
            )
            yield db, data
        return
    server, name = server_url(), kept_name(seed)
    with kept_database(server, name) as db:
        os.environ.update(db.env)
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # as Database.setup_django: a quiet bench
        import django

        django.setup()
        wanted = {"dataset": dataset, "heavy": heavy, "seed": seed}
        wanted["migrations"] = migrations_digest()
        marker = read_marker(server, name)
        if reuse and marker is not None and matches(marker, wanted, anchor) and behind_only():
            copy_load.log(f"reusing {name} (loaded {marker.get('loaded_at')})")
            db.setup_django()  # migrates forward when the code has newer migrations
            if marker.get("migrations") != wanted["migrations"]:
                marker |= {"migrations": wanted["migrations"], "migrated_at": _now()}
                write_marker(server, name, marker)
            yield db, kept_data(marker, samples)
            return
        drop_database(server, name)
        create_database(server, name)
        db.setup_django()
        day = anchor or datetime.now(UTC).date()
        copy_load.log(f"loading {dataset} + {heavy} into {name} (seed {seed}, anchor {day})")
        data, loaded = copy_load.load(
            db.env["DATABASE_URL"],
            gen.POPULATIONS[dataset],
            heavy_user,
            seed=seed,
            anchor=day,
            samples=samples,
        )
        copy_load.log(copy_load.report(loaded))
        data.counts = loaded.rows
        summary = {k: v for k, v in asdict(loaded).items() if k != "sample_users"}
        marker = wanted | summary | {"anchor": day.isoformat(), "loaded_at": _now()}
        write_marker(server, name, marker)
        yield db, data


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def drop_kept(seed: int) -> None:
    drop_database(server_url(), kept_name(seed))
