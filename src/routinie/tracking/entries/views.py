"""/entries/: entries by day with day totals, filters, inline editing, manual entries,
delete with undo, import and export. Parse, call a service, render; htmx gets fragments back."""

from collections.abc import Callable
from itertools import groupby
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.errors import DomainError
from routinie.core.forms import add_domain_errors
from routinie.core.htmx import is_htmx
from routinie.tracking.calendar import today_for, zone_of
from routinie.tracking.entries import services
from routinie.tracking.entries.breaks import spans_of, ticking_since, worked_seconds
from routinie.tracking.entries.forms import (
    EntryForm,
    FilterForm,
    ImportForm,
    ManualForm,
    TimerForm,
    split_tags,
)
from routinie.tracking.entries.selectors import (
    day_total,
    entries_page,
    projects_of,
    running_entry_of,
)
from routinie.tracking.entries.undo import delete_keeping_undo, pending_undo, undo_delete
from routinie.tracking.models import TimeEntry
from routinie.tracking.ownership import get_owned
from routinie.tracking.transfer.services import import_time_entries


def _owned_entry(user: User, entry_id: UUID) -> TimeEntry:
    """The user's entry; someone else's is not found (the 404 page)."""
    return get_owned(TimeEntry, user, entry_id, "time entry")


def _days(items: list[TimeEntry], zone: Any, now: Any) -> list[dict[str, Any]]:
    """Entries grouped by local day with each day's total; overlapping entries are flagged."""
    days = []
    for day, group in groupby(items, key=lambda e: e.start.astimezone(zone).date()):
        day_entries = list(group)
        total = sum(worked_seconds(e, now) for e in day_entries)
        ordered = sorted(day_entries, key=lambda e: e.start)
        overlapping = set()
        latest_end = None
        for entry in ordered:
            if latest_end is not None and entry.start < latest_end:
                overlapping.add(entry.pk)
            end = entry.end or now
            latest_end = end if latest_end is None else max(latest_end, end)
        running = [e for e in day_entries if e.end is None]
        since = ticking_since(running[0], now) if running else None
        days.append(
            {
                "day": day,
                "entries": day_entries,
                "total": round(total),
                "finished": round(
                    total - sum(worked_seconds(e, now) for e in running if since is not None)
                ),
                "running_since": since,
                "overlapping": overlapping,
            }
        )
    return days


def _entries_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = signed_in_user(request)
    zone = zone_of(user)
    filters = FilterForm(request.GET or None, user=user)
    criteria: dict[str, Any] = {}
    if filters.is_valid():
        criteria = {
            "first": filters.cleaned_data["first"],
            "last": filters.cleaned_data["last"],
            "project_id": filters.cleaned_data["project"] or None,
            "tag": filters.cleaned_data["tag"] or None,
        }
    try:
        page = entries_page(user=user, cursor=request.GET.get("cursor"), limit=100, **criteria)
    except DomainError as error:
        messages.error(request, error.detail)
        page = entries_page(user=user, limit=100, **criteria)
    now = timezone.now()
    today = today_for(user)
    query = request.GET.copy()
    query.pop("cursor", None)
    return {
        "filters": filters,
        "days": _days(page.items, zone, now),
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "now": now,
        "zone": zone,
        "entry_form": extra.get("entry_form") or EntryForm(user=user, initial={"day": today}),
        "import_form": extra.get("import_form") or ImportForm(),
        "import_errors": extra.get("import_errors", []),
        "projects": projects_of(user),
        "undo": pending_undo(request.session, user),
        "running": running_entry_of(user),
        "export_query": f"from={criteria.get('first') or ''}&to={criteria.get('last') or ''}",
    }


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/entries.html", _entries_context(request))


def _refused(request: HttpRequest, status: int = 422, **forms: Any) -> HttpResponse:
    return render(
        request, "tracking/entries.html", _entries_context(request, **forms), status=status
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = EntryForm(request.POST, user=user)
    if form.is_valid():
        try:
            start, end = form.checked_times(zone_of(user))
            breaks = form.break_spans(start)
            services.create_entry(
                user=user, start=start, end=end, breaks=breaks, **entry_fields(user, form)
            )
        except DomainError as error:
            add_domain_errors(form, error, FORM_FIELDS)
        else:
            messages.success(request, "The entry is added.")
            return redirect("/entries/")
    return _refused(request, entry_form=form)


FORM_FIELDS = {"start": "start_time", "end": "end_time", "project_id": "project"}


def saved(form: Form, write: Callable[[], object], fields: dict[str, str] | None = None) -> bool:
    """Run a service's write for a valid form: True when it is done, else False with the
    service's refusal shown on the form (on the field it names, renamed through `fields`)."""
    try:
        write()
    except DomainError as error:
        add_domain_errors(form, error, fields)
        return False
    return True


def add_finished_entry(user: User, form: ManualForm) -> None:
    """A finished entry from the manual form (/today/, the week view): start and end, or start
    and a typed duration; over 12 hours only when confirmed."""
    start, end = form.checked_times(zone_of(user))
    services.create_entry(user=user, start=start, end=end, **entry_fields(user, form))


def entry_fields(user: User, form: TimerForm) -> dict[str, Any]:
    """What the timer and entry forms share: description, project (a typed "+ New project" is
    created) and tags, as the services take them."""
    data = form.cleaned_data
    return {
        "description": data["description"],
        "project_id": services.chosen_project(
            user=user, project_id=data["project"], new_name=data["new_project"]
        ),
        "tags": split_tags(data["tags"]),
    }


def _entry_form_for(entry: TimeEntry, user: User, data: Any = None) -> EntryForm:
    zone = zone_of(user)
    start = entry.start.astimezone(zone)
    end = (entry.end or timezone.now()).astimezone(zone)
    initial = {
        "description": entry.description,
        "day": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
        "project": str(entry.project_id or ""),
        "tags": ", ".join(t.name for t in entry.tags.all()),
        "breaks": "\n".join(
            f"{s.astimezone(zone):%H:%M}-{e.astimezone(zone):%H:%M}"
            for s, e in spans_of(entry)
            if e is not None
        ),
    }
    form = EntryForm(data, user=user, initial=initial, prefix=f"e{entry.pk.hex[:8]}")
    return form


def _typed_breaks(form: EntryForm, start: Any) -> dict[str, Any]:
    """The edit form's breaks for `update_entry`: none when the text is as shown (the breaks
    keep their seconds), else all of them as typed."""
    if form.cleaned_data.get("breaks", "").strip() == (form.initial.get("breaks") or "").strip():
        return {}
    return {"breaks": form.break_spans(start)}


def _row(
    request: HttpRequest, entry: TimeEntry, *, status: int = 200, form: Any = None
) -> HttpResponse:
    """One entry's row (or its edit form); a saved row also refreshes its day's total."""
    template = "tracking/_entry_edit.html" if form is not None else "tracking/_entry_row.html"
    user = signed_in_user(request)
    zone, now = zone_of(user), timezone.now()
    day = entry.start.astimezone(zone).date()
    context = {
        "entry": entry,
        "form": form,
        "now": now,
        "zone": zone,
        "overlapping": set(),
        "back": "today" if "/today/" in request.headers.get("HX-Current-URL", "") else "",
        "day_total": day_total(user, day, now) if form is None else None,
    }
    return render(request, template, context, status=status)


@login_required
def edit(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    entry = _owned_entry(user, entry_id)
    if entry.end is None:
        messages.info(request, "Correct the running timer here, under “Correct the running timer”.")
        return redirect("/today/")
    form = _entry_form_for(entry, user)
    if is_htmx(request):
        return _row(request, entry, form=form)
    return render(request, "tracking/entry_edit_page.html", {"entry": entry, "form": form})


@login_required
def row(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """GET: the entry's row (cancel an edit). POST: save the inline edit."""
    user = signed_in_user(request)
    entry = _owned_entry(user, entry_id)
    if request.method != "POST":
        return _row(request, entry)
    form = _entry_form_for(entry, user, request.POST)
    if form.is_valid():
        try:
            start, end = form.checked_times(zone_of(user))
            entry = services.update_entry(
                user=user,
                entry_id=entry.pk,
                start=start,
                end=end,
                **_typed_breaks(form, start),
                **entry_fields(user, form),
            )
        except DomainError as error:
            add_domain_errors(form, error, FORM_FIELDS)
        else:
            if is_htmx(request):
                return _row(request, entry)
            messages.success(request, "The entry is saved.")
            return redirect("/entries/")
    if is_htmx(request):
        return _row(request, entry, status=422, form=form)
    return render(
        request, "tracking/entry_edit_page.html", {"entry": entry, "form": form}, status=422
    )


def _entry_action(
    request: HttpRequest, entry_id: UUID, action: Callable[[], Any], done: str, target: str
) -> HttpResponse:
    _owned_entry(signed_in_user(request), entry_id)
    try:
        action()
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
    return redirect(target)


@login_required
@require_POST
def delete(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Delete, keeping the entry to undo for a few minutes; htmx gets the row removed, the
    day's total refreshed and the "Deleted · Undo" notice (out-of-band)."""
    user = signed_in_user(request)
    entry = _owned_entry(user, entry_id)
    day = entry.start.astimezone(zone_of(user)).date()
    delete_keeping_undo(request.session, user, entry)
    if is_htmx(request):
        context = {
            "day_total": day_total(user, day, timezone.now()),
            "undo": pending_undo(request.session, user),
            "back": request.POST.get("back", ""),
        }
        return render(request, "tracking/_entry_deleted.html", context)
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    """Where a page action returns: /today/ when it came from there, else /entries/."""
    return "/today/" if request.POST.get("back") == "today" else "/entries/"


@login_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    """Restore the entry deleted last, exactly (same id, times, project, tags)."""
    try:
        undo_delete(request.session, signed_in_user(request))
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "The entry is back.")
    return redirect(_back(request))


@login_required
@require_POST
def duplicate(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    return _entry_action(
        request,
        entry_id,
        lambda: services.duplicate_entry(user=user, entry_id=entry_id),
        "The entry is duplicated.",
        "/entries/",
    )


@login_required
@require_POST
def continue_timer(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    return _entry_action(
        request,
        entry_id,
        lambda: services.continue_entry(user=user, entry_id=entry_id),
        "The timer is running again.",
        "/today/",
    )


@login_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, import_form=form)
    try:
        result = import_time_entries(user=signed_in_user(request), upload=form.cleaned_data["file"])
    except DomainError as error:
        form.add_error("file", error.detail)
        return _refused(request, import_form=form, import_errors=error.errors)
    messages.success(
        request,
        f"Imported {result['imported']} entries from {result['format']}"
        + (
            f"; {result['skipped_duplicates']} already tracked were skipped."
            if result["skipped_duplicates"]
            else "."
        ),
    )
    return redirect("/entries/")
