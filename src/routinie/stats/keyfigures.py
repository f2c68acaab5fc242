"""The periodic computation of every account's key figures (P05), in bounded memory.

Accounts are streamed from one query ordered by (time zone, id) and taken a chunk at a time
(`CHUNK` accounts of one time zone); each chunk's figures come from SQL aggregates
(`chunk_figures.py`) and are compared with the stored rows: only new or changed rows are
written (one upsert per chunk), so a day on which most people did nothing writes little.
Memory holds one chunk, whatever the number of accounts.

Every run recomputes the totals from the tracking tables rather than adding to the last run's:
entries can be imported, edited or deleted at any date, and nothing records those changes, so
adding up "what is new" would drift. The SQL reads are cheap next to the writes they avoid (see
bench/README.md for the measured figures).

Rows of deleted accounts are removed at once by the erasure hook (`signals.py`). A run also
deletes rows made under another pseudonym key, and, should the table hold more rows than there
are accounts (a deletion that bypassed Django), sweeps out every row no account maps to.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.account_jobs import ACCOUNT_FAILURES, Failures, contained
from routinie.core.date_range import EARLIEST_MOMENT, LATEST_MOMENT
from routinie.stats.chunk_figures import FIGURE_FIELDS, figures_of_chunk
from routinie.stats.models import KeyFigures, KeyFiguresRun
from routinie.stats.pseudonyms import key_id, pseudonym_key, pseudonym_of
from routinie.tracking.models import TimeEntry

CHUNK = 1000
RUNS_KEPT = timedelta(days=365)


@dataclass
class RefreshResult:
    accounts: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    computed_at: datetime | None = None
    failed: Failures = field(default_factory=lambda: Failures("Key figures"))


def accounts_by_zone(chunk: int = CHUNK) -> Iterator[tuple[str, list[UUID]]]:
    """(time zone, ids) of at most `chunk` accounts at a time, streamed from one query."""
    rows = User.objects.order_by("timezone", "id").values_list("id", "timezone")
    zone, ids = "", list[UUID]()
    for user_id, user_zone in rows.iterator(chunk_size=chunk):
        if ids and (user_zone != zone or len(ids) >= chunk):
            yield zone, ids
            ids = []
        zone = user_zone
        ids.append(user_id)
    if ids:
        yield zone, ids


def _changed_rows(
    figures: dict[UUID, dict[str, int]], key: bytes, kid: str, now: datetime
) -> tuple[list[KeyFigures], int]:
    """The rows to write for one chunk (new or different), and how many were unchanged."""
    wanted = {pseudonym_of(user_id, key): values for user_id, values in figures.items()}
    stored = {
        row[0]: row[1:]
        for row in KeyFigures.objects.filter(pseudonym__in=list(wanted)).values_list(
            "pseudonym", *FIGURE_FIELDS
        )
    }
    rows = [
        KeyFigures(pseudonym=pseudonym, key_id=kid, computed_at=now, **values)
        for pseudonym, values in wanted.items()
        if stored.get(pseudonym) != tuple(values[name] for name in FIGURE_FIELDS)
    ]
    return rows, len(wanted) - len(rows)


def _write(rows: list[KeyFigures]) -> None:
    if rows:
        KeyFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["pseudonym"],
            update_fields=["key_id", *FIGURE_FIELDS, "computed_at"],
        )


def refresh_key_figures(*, dry_run: bool = False, chunk: int = CHUNK) -> RefreshResult:
    """Compute every account's key figures now; write what changed (nothing on a dry run)."""
    now = timezone.now()
    key = pseudonym_key()
    kid = key_id(key)
    result = RefreshResult(computed_at=now)
    for zone, ids in accounts_by_zone(chunk):
        kept = _without_out_of_range(ids, key, result.failed)
        figures = _figures_sparing_failures(kept, zone, now, key, result.failed)
        rows, unchanged = _changed_rows(figures, key, kid, now)
        result.accounts += len(ids)
        result.unchanged += unchanged
        result.written += len(rows)
        if not dry_run:
            with transaction.atomic():
                _write(rows)
    if not dry_run:
        result.removed = _remove_strays(key, kid)
        _record(result, now)
    return result


class OutOfRange(ValueError):
    """An account holds entries outside `core.date_range` (stored before it was enforced)."""


def _without_out_of_range(ids: list[UUID], key: bytes, failed: Failures) -> list[UUID]:
    """`ids` less the accounts with an entry outside the date range, each reported: its figures
    would be wrong (a 2000-year entry) on PostgreSQL and an error on SQLite. One indexed query
    per chunk."""
    bad = set(
        TimeEntry.objects.filter(user_id__in=ids)
        .filter(
            Q(start__lt=EARLIEST_MOMENT) | Q(start__gt=LATEST_MOMENT) | Q(end__gt=LATEST_MOMENT)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in sorted(bad):
        failed.add(pseudonym_of(user_id, key), OutOfRange())
    return [user_id for user_id in ids if user_id not in bad]


def _figures_sparing_failures(
    ids: list[UUID], zone: str, now: datetime, key: bytes, failed: Failures
) -> dict[UUID, dict[str, int]]:
    """`figures_of_chunk`, but an account whose data the database or Python cannot compute
    with (a year-1 entry stored before the date range) is left out and reported by its
    pseudonym: the chunk is halved until the failing accounts stand alone, so one bad account
    costs a few more queries, not a query per account."""
    if not ids:
        return {}
    try:
        with contained():
            return figures_of_chunk(ids, zone, now)
    except ACCOUNT_FAILURES as error:
        if len(ids) == 1:
            failed.add(pseudonym_of(ids[0], key), error)
            return {}
    middle = len(ids) // 2
    return {
        **_figures_sparing_failures(ids[:middle], zone, now, key, failed),
        **_figures_sparing_failures(ids[middle:], zone, now, key, failed),
    }


def _remove_strays(key: bytes, kid: str) -> int:
    """Rows made under an old key, and rows of accounts that are gone."""
    removed = KeyFigures.objects.exclude(key_id=kid).delete()[0]
    if KeyFigures.objects.count() > User.objects.count():
        removed += _sweep(key)
    return removed


def _sweep(key: bytes) -> int:
    """Delete rows no account maps to: the live pseudonyms go to a temporary table a chunk at
    a time (memory stays bounded), then one DELETE keeps only those."""
    table = KeyFigures._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS stats_live_pseudonym")
        cursor.execute("CREATE TEMPORARY TABLE stats_live_pseudonym (p varchar(32) PRIMARY KEY)")
        for _zone, ids in accounts_by_zone():
            values = [pseudonym_of(user_id, key) for user_id in ids]
            marks = ", ".join(["(%s)"] * len(values))
            cursor.execute(f"INSERT INTO stats_live_pseudonym (p) VALUES {marks}", values)  # noqa: S608
        cursor.execute(
            f"DELETE FROM {table} WHERE pseudonym NOT IN (SELECT p FROM stats_live_pseudonym)"  # noqa: S608
        )
        removed = int(cursor.rowcount)
        cursor.execute("DROP TABLE stats_live_pseudonym")
    return removed


def _record(result: RefreshResult, started: datetime) -> None:
    KeyFiguresRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        accounts=result.accounts,
        written=result.written,
        unchanged=result.unchanged,
        removed=result.removed,
    )
    KeyFiguresRun.objects.filter(started_at__lt=started - RUNS_KEPT).delete()


def delete_key_figures_of(*, user_id: UUID) -> int:
    """Remove one account's row (called when the account is deleted)."""
    return KeyFigures.objects.filter(pseudonym=pseudonym_of(user_id)).delete()[0]
