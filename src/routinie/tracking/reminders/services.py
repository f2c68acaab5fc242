"""The writes of reminders: a routine's reminder time, the person's digest, unsubscribing
and rescheduling after the person's time zone changed. Each keeps the stored next instant in
step with the wall time (`times.next_reminder`)."""

from datetime import datetime, time
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.tracking.calendar import zone_of
from routinie.tracking.models import ReminderDigest, Routine
from routinie.tracking.ownership import owned
from routinie.tracking.reminders.times import next_reminder


def reminder_fields(user: User, wall: time | None, now: datetime) -> dict[str, object]:
    """A routine's reminder fields for a wall time (None: no reminder)."""
    if wall is None:
        return {"reminder_time": None, "reminder_next_at": None}
    return {
        "reminder_time": wall,
        "reminder_next_at": next_reminder(wall, zone_of(user), after=now),
    }


def digest_time_of(user: User) -> time | None:
    return owned(ReminderDigest, user).values_list("time", flat=True).first()


def set_digest_time(*, user: User, wall: time | None, now: datetime | None = None) -> None:
    """Turn the daily digest on at `wall` (local), move it, or turn it off (None)."""
    if wall is None:
        owned(ReminderDigest, user).delete()
        return
    next_at = next_reminder(wall, zone_of(user), after=now or timezone.now())
    ReminderDigest.objects.update_or_create(user=user, defaults={"time": wall, "next_at": next_at})


def reschedule_for_zone(*, user: User, now: datetime | None = None) -> None:
    """Recompute every next instant of the person's reminders in their (new) time zone."""
    moment = now or timezone.now()
    zone = zone_of(user)
    with transaction.atomic():
        for routine in (
            owned(Routine, user).filter(reminder_time__isnull=False).only("id", "reminder_time")
        ):
            assert routine.reminder_time is not None
            Routine.objects.filter(pk=routine.pk).update(
                reminder_next_at=next_reminder(routine.reminder_time, zone, after=moment)
            )
        digest = owned(ReminderDigest, user).first()
        if digest is not None:
            digest.next_at = next_reminder(digest.time, zone, after=moment)
            digest.save(update_fields=["next_at"])


def unsubscribe(*, user_id: UUID, routine_id: UUID | None) -> bool:
    """Stop one routine's reminder (`routine_id`), or every reminder and the digest (None).
    False when there is no such account or routine any more."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    with transaction.atomic():
        routines = owned(Routine, user)
        if routine_id is not None:
            matched = routines.filter(pk=routine_id).update(
                reminder_time=None, reminder_next_at=None
            )
            return matched == 1
        routines.filter(reminder_time__isnull=False).update(
            reminder_time=None, reminder_next_at=None
        )
        owned(ReminderDigest, user).delete()
    return True
