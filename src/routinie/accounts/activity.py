"""When the person last did something on the platform: the moment of their last write (a page
form or an API call that changed something), kept to the minute on the account row.

It answers one question, "when did I leave?" (a forgotten timer is stopped there), so it keeps a
single timestamp: no address, no device, no history, each write overwriting the last. Reads do
not count (an open page polling, a calendar program fetching its feed), nor refused writes. At
most one UPDATE a minute per person: the signed-in user row, already read, says whether the
last recorded moment is older than `STEP`.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from routinie.accounts.models import User

STEP = timedelta(minutes=1)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def record_activity(user: User, at: datetime) -> bool:
    """Record `at` as `user`'s last activity unless the one recorded is under `STEP` older, or
    the person turned the forgotten-timer reminder off (then it serves nothing and is not
    kept: P01); True when written."""
    if user.forgotten_timer_hours == 0:
        return False
    last = user.last_active_at
    if last is not None and at - last < STEP:
        return False
    User.objects.filter(pk=user.pk).update(last_active_at=at)
    user.last_active_at = at
    return True


class LastActivityMiddleware:
    """Records the request's start as the person's last activity after a write that succeeded.
    After the view: a view reads the moment recorded before this request (the forgotten
    timer's "stop it at the time I left" is itself a write). Signing in is not activity: coming
    back to a forgotten timer starts with it, and "the time I left" must not become that
    moment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = timezone.now()
        if request.method not in WRITES:
            return self.get_response(request)
        signed_in_before = _session_user(request) is not None
        response = self.get_response(request)
        if response.status_code < 400:
            user = getattr(request, "user", None)
            signed_in_now = not signed_in_before and _session_user(request) is not None
            if isinstance(user, User) and not signed_in_now:
                record_activity(user, started)
        return response


def _session_user(request: HttpRequest) -> object:
    """The id of the person the request's session is signed in as, or None (a bearer token's
    request has no session user; reading an absent session costs no query)."""
    session = getattr(request, "session", None)
    return None if session is None else session.get(SESSION_KEY)
