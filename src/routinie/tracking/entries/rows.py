"""The API's list of time entries, read as the database writes it.

Every API client reads this list, a week of it in one or two pages of up to 1,000 entries, so
it skips what costs time per row: no model object, none of Django's converters (a UUID object
per id; on PostgreSQL a pure-Python timestamp loader), no per-row validation. The page's query
is built by the ORM (owner scope, filters, keyset cursor) and then run as SQL; each column
comes back as text (`Cast`), and the tags of the whole page come in one more query.
`entries.bodies.entry_list_body` turns the rows into the API's JSON.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from routinie.accounts.models import User
from routinie.tracking.entries.breaks import Span
from routinie.tracking.entries.selectors import entries_matching, newest_first
from routinie.tracking.models import EntryBreak, Tag, TimeEntry
from routinie.tracking.ownership import owned

# id, description, project id, routine id, start, end: as the database writes them (end None
# while the entry runs).
TextRow = tuple[str, str, str | None, str | None, str, str | None]


@dataclass(frozen=True)
class EntryRows:
    rows: list[TextRow]
    tags: dict[str, list[str]]  # tag names in name order, by the entry's canonical id
    breaks: dict[str, list[Span]]  # breaks (naive UTC) oldest first, by the entry's id
    next_cursor: str | None


def uuid_text(text: str) -> str:
    """A UUID the database wrote as text, in its canonical form (SQLite keeps 32 hex digits)."""
    if len(text) == 36:
        return text
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def naive_utc(text: str) -> datetime:
    """A time the database wrote as text, as a naive UTC datetime (PostgreSQL writes its
    offset, SQLite writes UTC without one)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _fetch(query: QuerySet[Any, Any]) -> list[Any]:
    """The query's rows as the database driver returns them (no converter runs)."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[Any] = cursor.fetchall()
        return rows


def entry_rows_page(
    *, user: User, cursor: str | None = None, limit: int | None = None, **criteria: Any
) -> EntryRows:
    """`selectors.entries_page` (the same filters, order and cursors) as text rows. Two queries
    a page whatever its size: the entries, then all their tags."""
    rows = (
        owned(TimeEntry, user)
        .annotate(
            id_text=Cast("id", TextField()),
            project_text=Cast("project_id", TextField()),
            routine_text=Cast("routine_id", TextField()),
            start_text=Cast("start", TextField()),
            end_text=Cast("end", TextField()),
        )
        .values_list(
            "id_text", "description", "project_text", "routine_text", "start_text", "end_text"
        )
    )
    page = newest_first(
        entries_matching(rows, user=user, **criteria),
        cursor=cursor,
        limit=limit,
        encode=lambda row: [f"{naive_utc(row[4]).isoformat()}+00:00", uuid_text(row[0])],
        fetch=_fetch,
    )
    items: list[TextRow] = page.items
    ids = [row[0] for row in items]
    return EntryRows(items, _tag_names(ids, rows.db), _break_spans(ids, rows.db), page.next_cursor)


def _break_spans(entry_ids: list[str], database: str) -> dict[str, list[Span]]:
    """The breaks of these entries (the owner's, as their entries are), oldest first: one
    query a page, in SQL of its own like the tags' (the ORM's `entry_id__in` turned each of a
    page's thousand ids into a UUID first: half the time of a week's read)."""
    if not entry_ids:
        return {}
    quote = connections[database].ops.quote_name
    placeholders = ", ".join(["%s"] * len(entry_ids))
    sql = (
        f"SELECT {quote('entry_id')}, {quote('start')}, {quote('end')}"  # noqa: S608 (names from models)
        f" FROM {quote(EntryBreak._meta.db_table)}"
        f" WHERE {quote('entry_id')} IN ({placeholders}) ORDER BY {quote('start')}"
    )
    spans: dict[str, list[Span]] = {}
    with connections[database].cursor() as cursor:
        cursor.execute(sql, entry_ids)
        for entry_id, start, end in cursor.fetchall():
            spans.setdefault(uuid_text(str(entry_id)), []).append(
                (_naive(start), _naive(end) if end is not None else None)
            )
    return spans


def _naive(moment: datetime | str) -> datetime:
    """A time as the driver returns it (SQLite: UTC, naive or as text; PostgreSQL: an aware
    datetime) as a naive UTC datetime."""
    if isinstance(moment, str):
        return naive_utc(moment)
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _tag_names(entry_ids: list[str], database: str) -> dict[str, list[str]]:
    """The tag names of these entries (ids as the database wrote them, so they compare without
    conversion), in name order; the entries are the owner's, so their tags are too."""
    if not entry_ids:
        return {}
    quote = connections[database].ops.quote_name
    links = TimeEntry.tags.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(entry_ids))
    sql = (
        f"SELECT l.{quote('timeentry_id')}, t.{quote('name')}"  # noqa: S608 (names from models)
        f" FROM {quote(links)} l INNER JOIN {quote(Tag._meta.db_table)} t"
        f" ON t.{quote('id')} = l.{quote('tag_id')}"
        f" WHERE l.{quote('timeentry_id')} IN ({placeholders}) ORDER BY t.{quote('name')}"
    )
    names: dict[str, list[str]] = {}
    with connections[database].cursor() as cursor:
        cursor.execute(sql, entry_ids)
        for entry_id, name in cursor.fetchall():
            names.setdefault(uuid_text(str(entry_id)), []).append(name)
    return names
