"""Import of time entries from Toggl, Clockify or Routinie files: all rows or none.

Parsing and row checks live in `importing` (and a module per format); this saves the result in
one transaction. Entries identical to ones already tracked (same start, end and description)
are skipped, so importing the same file twice does not duplicate anything.
"""

from datetime import datetime
from typing import Any

from django.db import transaction

from routinie.accounts.models import User
from routinie.core.errors import FieldError, InvalidInput
from routinie.tracking.calendar import zone_of
from routinie.tracking.entries.services import clean_tags, link_tags, project_by_name, tags_named
from routinie.tracking.models import EntryBreak, TimeEntry
from routinie.tracking.ownership import owned
from routinie.tracking.transfer.importing import parse_time_entries
from routinie.tracking.transfer.parsed import ImportRejected, ParsedEntry, RowError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000


def rejected_rows(errors: list[RowError]) -> InvalidInput:
    """The 422 of an import with bad rows: each named (its row, or file, row and column)."""
    shown = errors[:200]
    fields = [FieldError(e.where or f"row {e.row}", e.message, "bad_row") for e in shown]
    more = f" (and {len(errors) - len(shown)} more)" if len(errors) > len(shown) else ""
    return InvalidInput(f"{len(errors)} row(s) could not be imported{more}; nothing was.", fields)


def _existing_keys(user: User, parsed: list[ParsedEntry]) -> set[tuple[Any, Any, str]]:
    first = min(p.start for p in parsed)
    last = max(p.start for p in parsed)
    rows = owned(TimeEntry, user).filter(start__gte=first, start__lte=last)
    return set(rows.values_list("start", "end", "description"))


def import_time_entries(*, user: User, upload: Any) -> dict[str, Any]:
    """Parse and save an uploaded file; InvalidInput naming each bad row when any is bad."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidInput.on("file", "The file is larger than 10 MB; split it and import each.")
    data = upload.read(MAX_BYTES + 1)
    try:
        file_format, parsed = parse_time_entries(data, timezone=zone_of(user), max_rows=MAX_ROWS)
    except ImportRejected as rejected:
        raise rejected_rows(rejected.errors) from None
    tag_errors = []
    for item in parsed:
        try:
            clean_tags(item.tags)
        except InvalidInput as error:
            tag_errors.append(RowError(item.row, error.detail))
    if tag_errors:
        raise rejected_rows(tag_errors)
    if not parsed:
        return {"imported": 0, "skipped_duplicates": 0, "format": file_format}
    with transaction.atomic():
        seen = _existing_keys(user, parsed)
        projects: dict[str, Any] = {}
        new_entries: list[tuple[TimeEntry, list[str]]] = []
        paused: list[tuple[TimeEntry, datetime, datetime]] = []
        skipped = 0
        for item in parsed:
            key = (item.start, item.end, item.description)
            if key in seen:
                skipped += 1
                continue
            seen.add(key)
            project = None
            if item.project:
                lowered = item.project.lower()
                if lowered not in projects:
                    projects[lowered] = project_by_name(user=user, name=item.project)
                project = projects[lowered]
            new_entry = TimeEntry(
                user=user,
                description=item.description,
                project=project,
                start=item.start,
                end=item.end,
            )
            new_entries.append((new_entry, clean_tags(item.tags)))
            paused.extend((new_entry, start, end) for start, end in item.breaks)
        TimeEntry.objects.bulk_create([e for e, _ in new_entries], batch_size=1000)
        EntryBreak.objects.bulk_create(
            [EntryBreak(entry=entry, user=user, start=s, end=e) for entry, s, e in paused],
            batch_size=1000,
        )
        all_names = sorted({n for _, names in new_entries for n in names})
        by_name = {t.name: t for t in tags_named(user, all_names)}
        link_tags((e, by_name[n]) for e, names in new_entries for n in names)
    return {"imported": len(new_entries), "skipped_duplicates": skipped, "format": file_format}
