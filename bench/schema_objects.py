"""A table's indexes and constraints as the database defines them: recorded, dropped before a bulk
load and recreated exactly afterwards, several at a time.

Only PostgreSQL. The definitions come from the catalogue (`pg_get_indexdef`,
`pg_get_constraintdef`), so what is recreated is what `migrate` made, whatever the models say.
CHECK and NOT NULL constraints stay during the load: COPY checks them row by row for next to
nothing, while adding one afterwards would read the whole table again.
"""

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import psycopg

# Each session that rebuilds: enough memory to sort a big index in one pass, no parallel
# workers (the machine's cores are already busy with one build per connection).
BUILD_SETTINGS = (
    "SET maintenance_work_mem = '1GB'",
    "SET max_parallel_maintenance_workers = 0",
    "SET synchronous_commit = off",
)


@dataclass(frozen=True)
class SchemaObject:
    table: str
    name: str
    kind: str  # "index", "primary key", "unique", "foreign key", "check"
    definition: str  # CREATE INDEX … or the constraint's definition

    @property
    def create(self) -> str:
        if self.kind == "index":
            return self.definition
        return f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{self.name}" {self.definition}'

    @property
    def drop(self) -> str:
        if self.kind == "index":
            return f'DROP INDEX "{self.name}"'
        return f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{self.name}"'


KINDS = {"p": "primary key", "u": "unique", "f": "foreign key", "c": "check", "x": "exclusion"}
CONSTRAINTS = """
SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.conrelid = ANY(%(tables)s::regclass[])
   OR (c.contype = 'f' AND c.confrelid = ANY(%(tables)s::regclass[]))
"""
INDEXES = """
SELECT i.indrelid::regclass::text, x.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
WHERE i.indrelid = ANY(%(tables)s::regclass[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                    AND c.contype IN ('p', 'u', 'x'))
"""


def recorded(conn: psycopg.Connection[Any], tables: Iterable[str]) -> list[SchemaObject]:
    """Every index and constraint of `tables`, and every foreign key that points at one."""
    params = {"tables": list(tables)}
    found = [
        SchemaObject(table, name, KINDS[kind], definition)
        for table, name, kind, definition in conn.execute(CONSTRAINTS, params)
    ]
    found += [SchemaObject(t, n, "index", d) for t, n, d in conn.execute(INDEXES, params)]
    return sorted(found, key=lambda o: (o.table, o.kind, o.name))


def droppable(objects: list[SchemaObject]) -> list[SchemaObject]:
    """What to drop, in an order that works: foreign keys before the keys they point at."""
    order = {"foreign key": 0, "primary key": 1, "unique": 1, "exclusion": 1, "index": 2}
    return sorted((o for o in objects if o.kind in order), key=lambda o: order[o.kind])


def drop(conn: psycopg.Connection[Any], objects: list[SchemaObject]) -> None:
    with conn.transaction():
        for o in objects:
            conn.execute(o.drop)  # type: ignore[arg-type]


def in_parallel(
    url: str, statements: list[str], jobs: int, log: Callable[[str], None] = print
) -> None:
    """Run `statements` (autocommit) over `jobs` connections, in the order given: the largest
    first keeps both cores busy to the end. The first error stops every connection."""
    pending = list(reversed(statements))
    lock, errors = threading.Lock(), []

    def work() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for setting in BUILD_SETTINGS:
                conn.execute(setting)  # type: ignore[arg-type]
            while True:
                with lock:
                    if errors or not pending:
                        return
                    statement = pending.pop()
                began = time.perf_counter()
                try:
                    conn.execute(statement)  # type: ignore[arg-type]
                except Exception as error:
                    with lock:
                        errors.append(error)
                    return
                log(f"  {time.perf_counter() - began:6.1f} s  {statement[:110]}")

    threads = [threading.Thread(target=work) for _ in range(max(1, jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def by_size(conn: psycopg.Connection[Any], objects: list[SchemaObject]) -> list[SchemaObject]:
    """`objects`, those on the largest tables first."""
    tables = sorted({o.table for o in objects})
    sizes = dict(
        conn.execute(
            "SELECT t, pg_relation_size(t::regclass) FROM unnest(%s::text[]) AS t", [tables]
        ).fetchall()
    )
    return sorted(objects, key=lambda o: -sizes.get(o.table, 0))


def recreate_keys_and_indexes(
    url: str, objects: list[SchemaObject], jobs: int, log: Callable[[str], None] = print
) -> None:
    """Primary keys, unique constraints and plain indexes (what foreign keys need first)."""
    with psycopg.connect(url) as conn:
        ordered = by_size(conn, [o for o in objects if o.kind != "foreign key"])
    in_parallel(url, [o.create for o in ordered], jobs, log)


def recreate_foreign_keys(
    url: str, objects: list[SchemaObject], jobs: int, log: Callable[[str], None] = print
) -> None:
    """Foreign keys added NOT VALID (no scan, a short lock), then validated in parallel: a
    validation takes a lock that lets the others on the same table run beside it."""
    keys = [o for o in objects if o.kind == "foreign key"]
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction():
            for o in keys:
                conn.execute(f"{o.create} NOT VALID")  # type: ignore[arg-type]
        ordered = by_size(conn, keys)
    validate = [f'ALTER TABLE "{o.table}" VALIDATE CONSTRAINT "{o.name}"' for o in ordered]
    in_parallel(url, validate, jobs, log)
