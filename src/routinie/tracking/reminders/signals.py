"""A person's time zone changes (`PATCH /api/v1/me`, the account page): their reminders' next
instants are computed again in the new zone, so 07:30 stays 07:30 where they are now."""

from typing import Any

from routinie.accounts.models import User
from routinie.tracking.reminders.services import reschedule_for_zone


def reschedule_on_zone_change(
    sender: type[User], instance: User, update_fields: Any = None, created: bool = False, **_: Any
) -> None:
    if created or (update_fields is not None and "timezone" not in update_fields):
        return
    reschedule_for_zone(user=instance)
