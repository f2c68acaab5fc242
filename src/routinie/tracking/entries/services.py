"""Time entries, the timer, projects and tags: the writes. Each function is one transaction and
raises `routinie.core.errors` on bad input, changing nothing."""

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.date_range import EARLIEST_MOMENT, LATEST_MOMENT, check_moment
from routinie.core.errors import Conflict, InvalidInput, NotFound
from routinie.tracking.entries.breaks import (
    Span,
    breaks_known,
    check_breaks,
    close_breaks,
    spans_of,
    write_breaks,
)
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.models import Project, Routine, Tag, TimeEntry
from routinie.tracking.ownership import already_created, get_owned, owned

MAX_ENTRY = timedelta(days=7)  # longer than a week is surely a forgotten timer or a typo
MAX_FUTURE = timedelta(days=1)
MAX_TAGS = 20
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


# --- Projects ---------------------------------------------------------------------------------
def _project_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput.on("name", "Please give the project a name.", "required")
    if len(name) > 100:
        raise InvalidInput.on("name", "A project name can be at most 100 characters long.")
    return name


def _color(color: str) -> str:
    if not COLOR.match(color):
        raise InvalidInput.on("color", "A colour is written like #2f6f5e.")
    return color.lower()


def _save_project(project: Project) -> Project:
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise Conflict("You already have a project with this name.") from None
    return project


def create_project(
    *,
    user: User,
    name: str,
    color: str = "#2f6f5e",
    archived: bool = False,
    id: UUID | None = None,
) -> tuple[Project, bool]:
    """A new project. Returns (project, created); repeating a create with the same id is safe."""
    fields = {"name": _project_name(name), "color": _color(color), "archived": archived}
    existing = already_created(Project, user, id, fields)
    if existing is not None:
        return existing, False
    return _save_project(Project(id=id or uuid.uuid4(), user=user, **fields)), True


def update_project(
    *,
    user: User,
    project_id: UUID,
    name: str | None = None,
    color: str | None = None,
    archived: bool | None = None,
) -> Project:
    project = get_owned(Project, user, project_id, "project")
    if name is not None:
        project.name = _project_name(name)
    if color is not None:
        project.color = _color(color)
    if archived is not None:
        project.archived = archived
    return _save_project(project)


def delete_project(*, user: User, project_id: UUID) -> None:
    """Delete a project; its entries stay, without a project."""
    get_owned(Project, user, project_id, "project").delete()


def project_by_name(*, user: User, name: str) -> Project:
    """The user's project with this name (any case), created when missing (imports)."""
    name = _project_name(name)
    project = owned(Project, user).filter(name__iexact=name).first()
    return project or _save_project(Project(user=user, name=name))


def chosen_project(*, user: User, project_id: str | None, new_name: str = "") -> UUID | None:
    """The project a form picked: a typed new name ("+ New project") is created (or the
    existing one of that name, any case, is used); else the id chosen, or None."""
    if new_name.strip():
        return project_by_name(user=user, name=new_name).pk
    return UUID(project_id) if project_id else None


# --- Tags -------------------------------------------------------------------------------------
def clean_tags(names: Sequence[str]) -> list[str]:
    """Trimmed, de-duplicated tag names in their order; refuses more than 20 or over-long ones."""
    result: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name or name in result:
            continue
        if len(name) > 50:
            raise InvalidInput.on("tags", f"The tag {name[:20]!r}… is longer than 50 characters.")
        result.append(name)
    if len(result) > MAX_TAGS:
        raise InvalidInput.on("tags", f"An entry can have at most {MAX_TAGS} tags.")
    return result


def tags_named(user: User, names: Sequence[str]) -> list[Tag]:
    """The user's tags with these names, created when missing, in the same order: one query, and
    one INSERT more when some are new (it returns their ids; a tag another request created
    meanwhile is updated to itself and its id returned)."""
    if not names:
        return []
    existing = {t.name: t for t in owned(Tag, user).filter(name__in=names)}
    missing = [Tag(user=user, name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(
            missing, update_conflicts=True, unique_fields=["user", "name"], update_fields=["name"]
        )
        existing.update((t.name, t) for t in missing)
    return [existing[n] for n in names]


def link_tags(links: Iterable[tuple[TimeEntry, Tag]]) -> None:
    """Tag entries just created, in one INSERT (a new entry has no tags to compare with)."""
    through = TimeEntry.tags.through
    rows = [through(timeentry_id=entry.pk, tag_id=tag.pk) for entry, tag in links]
    through.objects.bulk_create(rows, batch_size=1000)


def _tags_known(entry: TimeEntry, tags: list[Tag]) -> None:
    """Keep the tags just written on the entry, in name order, as `prefetch_related` would:
    reading `entry.tags.all()` afterwards (for the answer) costs no query."""
    loaded = entry.tags.all()
    loaded._result_cache = sorted(tags, key=lambda tag: tag.name)
    loaded._prefetch_done = True  # type: ignore[attr-defined]
    entry._prefetched_objects_cache = {"tags": loaded}  # type: ignore[attr-defined]


def _tag_new_entry(entry: TimeEntry, tags: list[Tag]) -> None:
    link_tags((entry, tag) for tag in tags)
    _tags_known(entry, tags)


# --- Entries ----------------------------------------------------------------------------------
def _description(text: str) -> str:
    text = text.strip()
    if len(text) > 500:
        raise InvalidInput.on("description", "A description can be at most 500 characters long.")
    return text


def check_times(start: datetime, end: datetime | None) -> None:
    """Refuse naive times, times outside `core.date_range`, a start far in the future, an end
    before the start, 7+ day entries, and a running entry that started over 7 days ago (a
    running timer is an entry ending now: the same rule)."""
    if timezone.is_naive(start) or (end is not None and timezone.is_naive(end)):
        raise InvalidInput.on("start", "Times need an offset, like 2026-11-24T09:30:00+02:00.")
    check_moment(start, "start")
    if end is not None:
        check_moment(end, "end")
    if start > timezone.now() + MAX_FUTURE:
        raise InvalidInput.on("start", "The start is more than a day in the future.", "future")
    if end is None:
        if timezone.now() - start > MAX_ENTRY:
            raise InvalidInput.on(
                "start", "A running timer can have started at most 7 days ago.", "too_long"
            )
        return
    if end < start:
        raise InvalidInput.on("end", "The end is before the start.", "end_before_start")
    if end - start > MAX_ENTRY:
        raise InvalidInput.on("end", "One entry can last at most 7 days.", "too_long")


def _project_for(user: User, project_id: UUID | None) -> Project | None:
    if project_id is None:
        return None
    project = owned(Project, user).filter(pk=project_id).first()
    if project is None:
        raise InvalidInput.on("project_id", "No such project.", "unknown_project")
    return project


def create_entry(
    *,
    user: User,
    start: datetime,
    end: datetime | None,
    description: str = "",
    project_id: UUID | None = None,
    tags: Sequence[str] = (),
    id: UUID | None = None,
    breaks: Sequence[Span] = (),
) -> tuple[TimeEntry, bool]:
    """A manual entry (with no end: a running one), with its breaks. Returns (entry, created)."""
    description = _description(description)
    check_times(start, end)
    spans = check_breaks(start, end, breaks)
    project = _project_for(user, project_id)
    names = clean_tags(tags)
    same = {"description": description, "project_id": project_id, "start": start, "end": end}
    existing = already_created(TimeEntry, user, id, same)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = TimeEntry.objects.create(
                id=id or uuid.uuid4(),
                user=user,
                description=description,
                project=project,
                start=start,
                end=end,
            )
            _tag_new_entry(entry, tags_named(user, names))
            write_breaks(entry, spans, replace=False)
    except IntegrityError:
        raise Conflict("A timer is already running; stop it first.") from None
    return entry, True


def update_entry(*, user: User, entry_id: UUID, **changes: Any) -> TimeEntry:
    """Change any of description, project_id, tags, start, end, breaks (only the keys given;
    `breaks` replaces them all, and its absence keeps them, held inside the new times)."""
    with transaction.atomic():
        entry = get_owned(TimeEntry, user, entry_id, "time entry")
        if "description" in changes:
            entry.description = _description(changes["description"] or "")
        if "project_id" in changes:
            entry.project = _project_for(user, changes["project_id"])
        start = changes.get("start", entry.start)
        end = changes.get("end", entry.end)
        if start is None:
            raise InvalidInput.on("start", "An entry needs a start.", "required")
        check_times(start, end)
        if end is None and entry.end is not None:
            raise InvalidInput.on(
                "end", "A stopped entry cannot be made to run again; use continue."
            )
        if "breaks" in changes:
            spans = check_breaks(start, end, changes["breaks"] or [])
        elif (start, end) != (entry.start, entry.end):
            check_breaks(start, end, spans_of(entry))
        entry.start, entry.end = start, end
        if "breaks" in changes:  # the old breaks go before the entry's new times are held
            write_breaks(entry, [], replace=True)
        entry.save()
        if "breaks" in changes:
            write_breaks(entry, spans, replace=False)
        if "tags" in changes:
            tags = tags_named(user, clean_tags(changes["tags"] or []))
            entry.tags.set(tags)
            _tags_known(entry, tags)
    return entry


def delete_entry(*, user: User, entry_id: UUID) -> None:
    get_owned(TimeEntry, user, entry_id, "time entry").delete()


def entry_snapshot(entry: TimeEntry) -> dict[str, Any]:
    """All of an entry, as JSON-safe values, to restore it exactly (`restore_entry`)."""
    return {
        "id": str(entry.pk),
        "user_id": str(entry.user_id),
        "description": entry.description,
        "project_id": str(entry.project_id) if entry.project_id else None,
        "tags": [t.name for t in entry.tags.all()],
        "start": entry.start.isoformat(),
        "end": entry.end.isoformat() if entry.end else None,
        "routine_id": str(entry.routine_id) if entry.routine_id else None,
        "routine_step": entry.routine_step,
        "breaks": [[s.isoformat(), e.isoformat() if e else None] for s, e in spans_of(entry)],
    }


def restore_entry(*, user: User, snapshot: dict[str, Any]) -> TimeEntry:
    """Put back a deleted entry from its snapshot: the same id, times, description, project,
    tags and routine. Only its owner's; a project deleted since is left out."""
    if snapshot.get("user_id") != str(user.pk):
        raise NotFound("There is no deleted entry to restore.")
    project_id = snapshot["project_id"]
    if project_id and not owned(Project, user).filter(pk=project_id).exists():
        project_id = None
    routine_id = snapshot["routine_id"]
    if routine_id and not owned(Routine, user).filter(pk=routine_id).exists():
        routine_id = None
    try:
        with transaction.atomic():
            entry = TimeEntry.objects.create(
                id=UUID(snapshot["id"]),
                user=user,
                description=snapshot["description"],
                project_id=project_id,
                start=datetime.fromisoformat(snapshot["start"]),
                end=datetime.fromisoformat(snapshot["end"]) if snapshot["end"] else None,
                routine_id=routine_id,
                routine_step=snapshot["routine_step"] if routine_id else None,
            )
            _tag_new_entry(entry, tags_named(user, snapshot["tags"]))
            spans = [
                (datetime.fromisoformat(s), datetime.fromisoformat(e) if e else None)
                for s, e in snapshot.get("breaks", [])
            ]
            write_breaks(entry, spans, replace=False)
    except IntegrityError:
        raise Conflict("This entry cannot come back: it exists, or a timer runs.") from None
    return entry


def duplicate_entry(*, user: User, entry_id: UUID) -> TimeEntry:
    """A copy of a stopped entry, with the same times, description, project and tags."""
    source = get_owned(TimeEntry, user, entry_id, "time entry")
    if source.end is None:
        raise Conflict("A running entry cannot be duplicated; stop it first.")
    entry, _ = create_entry(
        user=user,
        start=source.start,
        end=source.end,
        description=source.description,
        project_id=source.project_id,
        tags=[t.name for t in source.tags.all()],
        breaks=spans_of(source),
    )
    return entry


# --- The timer --------------------------------------------------------------------------------
def start_timer(
    *,
    user: User,
    description: str = "",
    project_id: UUID | None = None,
    tags: Sequence[str] = (),
    routine_id: UUID | None = None,
    routine_step: int | None = None,
    start: datetime | None = None,
) -> TimeEntry:
    """Start a timer now, or at an earlier `start` ("started at 09:10"); a running one stops at
    the same instant (one running entry per user)."""
    description = _description(description)
    project = _project_for(user, project_id)
    names = clean_tags(tags)
    if start is not None:
        check_times(start, None)
        if start > timezone.now():
            raise InvalidInput.on("start", "A timer cannot start later than now.", "future")
    try:
        with transaction.atomic():
            now = timezone.now()
            if start is not None and _runs_since_after(user, start):
                raise InvalidInput.on(
                    "start", "The running timer started later; stop it or correct it first."
                )
            _stop_running(user, start or now)
            entry = TimeEntry.objects.create(
                user=user,
                description=description,
                project=project,
                start=start or now,
                end=None,
                routine_id=routine_id,
                routine_step=routine_step,
            )
            _tag_new_entry(entry, tags_named(user, names))
            breaks_known(entry, [])
    except IntegrityError:  # another request started one in between
        raise Conflict("Another timer was started at the same moment; try again.") from None
    return entry


def _runs_since_after(user: User, moment: datetime) -> bool:
    """Whether the user's running timer started after `moment` (it cannot stop before it)."""
    running = running_entry_of(user)
    return running is not None and running.start > moment


def _stop_running(
    user: User, at: datetime, *, running: TimeEntry | None = None, now: datetime | None = None
) -> TimeEntry | None:
    """Stop the running entry (`running` as read by `running_entry_of`, or read here) at `at`,
    which is `now` or earlier; None when none runs. The UPDATE names the entry as it was read
    (still running, same start), so it needs no lock: when another request stopped or changed
    it meanwhile, it stops nothing."""
    running = running or running_entry_of(user)
    if running is None:
        return None
    # A timer forgotten for more than the maximum stops at the maximum, not at an invalid length.
    end = min(at, running.start + MAX_ENTRY)
    close_breaks(running, end, cut=end < (now or at))
    as_read = owned(TimeEntry, user).filter(pk=running.pk, end__isnull=True)
    if EARLIEST_MOMENT < running.start < LATEST_MOMENT:  # else read at the range's edge
        as_read = as_read.filter(start=running.start)
    if not as_read.update(end=end):
        return None
    running.end = end
    if not running.has_breaks:  # type: ignore[attr-defined]
        breaks_known(running, [])
    return running


def stop_timer(*, user: User) -> TimeEntry:
    """Stop the running timer now (one UPDATE); Conflict when none runs."""
    stopped = _stop_running(user, timezone.now())
    if stopped is None:
        raise Conflict("No timer is running.")
    return stopped


def stop_timer_at(*, user: User, entry: TimeEntry, at: datetime) -> TimeEntry:
    """Stop the running `entry` (read by `running_entry_of`) at the earlier moment `at` (its
    breaks from then on dropped): a forgotten timer, idle time discarded. Conflict when it no
    longer runs; InvalidInput when `at` is before its start or after now."""
    now = timezone.now()
    if at < entry.start:
        raise InvalidInput.on("at", "A timer cannot stop before it started.", "before_start")
    if at > now:
        raise InvalidInput.on("at", "A timer cannot stop later than now.", "future")
    with transaction.atomic():  # the breaks cut and the stop, or neither
        stopped = _stop_running(user, at, running=entry, now=now)
        if stopped is None:
            raise Conflict("This timer was stopped or changed meanwhile.")
    return stopped


def continue_entry(*, user: User, entry_id: UUID) -> TimeEntry:
    """Start a timer with a past entry's description, project and tags."""
    source = get_owned(TimeEntry, user, entry_id, "time entry")
    return start_timer(
        user=user,
        description=source.description,
        project_id=source.project_id,
        tags=[t.name for t in source.tags.all()],
    )
