"""What every signed-in page's frame knows of the running timer, in one query: the forgotten-
timer banner (past the person's threshold, not said to be right) and the page's idle detection
(while the timer runs and is not paused)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.htmx import is_htmx
from routinie.tracking.entries.breaks import paused_since
from routinie.tracking.forgotten.services import is_forgotten, left_at
from routinie.tracking.models import TimeEntry


def running_timer_frame(request: HttpRequest) -> dict[str, object]:
    """`timer_frame` for whole pages (GET, not htmx) of a signed-in person with a running
    timer: `entry_id`, `idle_minutes` (0 while paused, or idle detection is off), and
    `forgotten` (None, or what the banner shows)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or request.method != "GET" or is_htmx(request):
        return {}
    running = (
        TimeEntry.objects.filter(user=user, end__isnull=True)
        .annotate(paused_since=paused_since())
        .values(
            "id", "start", "description", "paused_since", "forgotten__left_at", "forgotten__kept_at"
        )
        .first()
    )
    if running is None:
        return {}
    now = timezone.now()
    forgotten = None
    if running["forgotten__kept_at"] is None and is_forgotten(user, running["start"], now):
        forgotten = {
            "description": running["description"],
            "started": running["start"],
            "hours": user.forgotten_timer_hours,
            "left": left_at(running["start"], user.last_active_at, running["forgotten__left_at"]),
        }
    paused = running["paused_since"] is not None
    return {
        "timer_frame": {
            "entry_id": running["id"],
            "idle_minutes": 0 if paused else settings.IDLE_MINUTES,
            "forgotten": forgotten,
        }
    }
