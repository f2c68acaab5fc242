"""Undo a delete: the deleted entry is kept, whole, in its owner's session for a few minutes.

Why the session and not a soft delete: a soft-deleted row would have to be hidden from every
reader (lists, reports, the API, the export, the statistics) and purged on a schedule; the
session is the person's own, so the undo is owner-scoped by construction (and checked again by
the service), nobody else's page or the API ever sees the entry, and it is gone when the time
is up, at the next page read, or when the session ends.
"""

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import NotFound
from routinie.tracking.entries import services
from routinie.tracking.models import TimeEntry

UNDO_SECONDS = 300
KEY = "deleted_entry"


def delete_keeping_undo(session: SessionBase, user: User, entry: TimeEntry) -> None:
    """Delete the user's entry and keep it in the session to restore for UNDO_SECONDS."""
    snapshot = services.entry_snapshot(entry)
    services.delete_entry(user=user, entry_id=entry.pk)
    session[KEY] = {"entry": snapshot, "at": timezone.now().timestamp()}


def pending_undo(session: SessionBase, user: User) -> dict[str, Any] | None:
    """The deleted entry that can still come back (its snapshot), or None; an expired or
    someone else's one is dropped from the session here."""
    kept = session.get(KEY)
    if not kept:
        return None
    fresh = timezone.now().timestamp() - kept.get("at", 0) < UNDO_SECONDS
    if not fresh or kept["entry"].get("user_id") != str(user.pk):
        del session[KEY]
        return None
    snapshot: dict[str, Any] = kept["entry"]
    return snapshot


def undo_delete(session: SessionBase, user: User) -> TimeEntry:
    """Restore the deleted entry exactly; NotFound when there is none (or it expired)."""
    snapshot = pending_undo(session, user)
    if snapshot is None:
        raise NotFound("There is no deleted entry to restore any more.")
    entry = services.restore_entry(user=user, snapshot=snapshot)
    del session[KEY]
    return entry
