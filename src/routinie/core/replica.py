"""Reads that tolerate lag go to a PostgreSQL streaming replica; everything else to the primary.

With `DATABASE_REPLICA_URL` set, settings.py adds the `replica` database and `ReplicaRouter`.
A feature marks its lag-tolerant reads (reports, statistics pages, the export's reads) with
`tolerates_lag` (a view) or `run_lag_tolerant` (any function): only inside those does a read go
to the replica. Writes, migrations, and any read inside a transaction of the primary stay on the
primary. Without the setting every helper here returns at once: no query, no cache access.

Read-your-writes: after a request of a signed-in person that may have written commits, the
primary's WAL position (`pg_current_wal_lsn()`) is remembered in the cache under a keyed hash of
the person's id, for `REMEMBER_SECONDS`. A lag-tolerant read of that person first asks the
replica how far it has replayed (one query, `pg_last_wal_replay_lsn()`) and reads from the
primary unless the replica has replayed that position. The same query tells whether the
replica is reachable and how far behind it is: a replica that cannot be reached, fails during
the read, or lags more than `REMEMBER_SECONDS` (past which a remembered position may have been
forgotten) is left alone, and the read is served by the primary. A replica that failed is not
asked again by this process for `DOWN_SECONDS`; the log says so once, with the error's class
only (its message would name the server).
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
# How long a person's last write position is remembered; a replica further behind than this
# is not read from (a remembered position could have expired meanwhile).
REMEMBER_SECONDS = 600
DOWN_SECONDS = 30  # a replica that failed is left alone this long (per process)
# Stored when the primary's position cannot be read: this person reads from the primary until
# the memory expires.
UNKNOWN_POSITION = "FFFFFFFF/FFFFFFFF"

# Where the lag-tolerant reads of the current block go (None: not in such a block).
_reads_from: ContextVar[str | None] = ContextVar("routinie_reads_from", default=None)
_down_until = 0.0

P = ParamSpec("P")
R = TypeVar("R")


def configured() -> bool:
    """Whether a replica is configured (DATABASE_REPLICA_URL)."""
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside a lag-tolerant block go where the block chose; everything else, the
    primary. A read inside a transaction of the primary stays there (it may read what that
    transaction wrote)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _reads_from.get() == REPLICA and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


# --- Positions in the WAL ---------------------------------------------------------------------
def lsn_value(lsn: str) -> int:
    """A WAL position as PostgreSQL prints it ("16/B374D848") as a number, for comparison."""
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _memory_key(person_id: object) -> str:
    """The cache key of a person's last write: a keyed hash of the id, nothing readable."""
    return "replica:" + salted_hmac("routinie.core.replica", str(person_id)).hexdigest()[:32]


def person_of(request: HttpRequest) -> object | None:
    """The id of the request's signed-in person (session or API token), or None."""
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def remember_write(person_id: object | None) -> None:
    """Remember the primary's WAL position now, after a write of this person committed: their
    next lag-tolerant reads go to the replica only once it has replayed that far."""
    if person_id is None or not configured():
        return
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = str(cursor.fetchone()[0])
    except DatabaseError:  # the write is committed; without its position, read the primary
        position = UNKNOWN_POSITION
    cache.set(_memory_key(person_id), position, REMEMBER_SECONDS)


# --- Choosing where a block reads -------------------------------------------------------------
def _mark_down(error: BaseException) -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    log.warning(
        "The read replica failed (%s): lag-tolerant reads go to the primary for %d s.",
        type(error).__name__,
        DOWN_SECONDS,
    )
    with suppress(DatabaseError):
        connections[REPLICA].close()


def _replica_position() -> tuple[str | None, float]:
    """The replica's replayed position (None: not a standby) and, when WAL waits to be
    replayed, how old the last replayed transaction is (seconds)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_replay_lsn()::text, "
            "CASE WHEN pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() "
            "THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"
        )
        replayed, behind = cursor.fetchone()
    return replayed, float(behind or 0)


def _source_for(person_id: object | None) -> str:
    if time.monotonic() < _down_until:
        return PRIMARY
    remembered = cache.get(_memory_key(person_id)) if person_id is not None else None
    try:
        replayed, behind = _replica_position()
    except DatabaseError as error:
        _mark_down(error)
        return PRIMARY
    if replayed is None:  # not in recovery (a test's mirror, a promoted replica): up to date
        return REPLICA
    if behind > REMEMBER_SECONDS:
        return PRIMARY
    if remembered is not None and lsn_value(replayed) < lsn_value(str(remembered)):
        return PRIMARY  # read-your-writes: it has not replayed this person's last write yet
    return REPLICA


@contextmanager
def lag_tolerant(person_id: object | None = None) -> Iterator[str]:
    """Reads in this block may come from the replica when it has replayed `person_id`'s last
    write (any person's: None); yields where they go ("replica" or "default")."""
    if not configured():
        yield PRIMARY
        return
    source = _source_for(person_id)
    token = _reads_from.set(source)
    try:
        yield source
    finally:
        _reads_from.reset(token)


def run_lag_tolerant(person_id: object | None, read: Callable[[], R]) -> R:
    """`read()` inside `lag_tolerant(person_id)`; when the replica fails during it, the replica
    is left alone and `read()` runs again on the primary. `read` must only read."""
    with lag_tolerant(person_id) as source:
        try:
            return read()
        except (OperationalError, InterfaceError) as error:
            if source != REPLICA:
                raise
            _mark_down(error)
    return read()


def tolerates_lag(
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """A view (page or API operation) that only reads, and whose reads tolerate lag: served
    from the replica when it has the signed-in person's last write. Who is signed in is read
    first, from the primary."""

    @wraps(view)
    def reading(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if not configured():
            return view(request, *args, **kwargs)
        person = person_of(request)
        return run_lag_tolerant(person, lambda: view(request, *args, **kwargs))

    return reading
