"""Server-side sessions with an idle timeout, an absolute lifetime and a shared-computer mode (P14).

The cookie is a browser-session cookie (no Expires/Max-Age, P10), unless the person ticked "Stay
signed in on this device": then it lasts SESSION_REMEMBER_SECONDS (30 days) from sign-in, on the
cookie and on the server, with no shorter idle limit. The limits live on the server:
each session row carries its own expiry, the earlier of `last activity + idle timeout` and
`sign-in + absolute lifetime`, so a replayed cookie dies with its row. The row also holds what the
"active sessions" list shows: a coarse device name and the last activity, never an IP address.
"""

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from routinie.accounts.devices import coarse_device
from routinie.core.htmx import is_htmx

STARTED = "_rt_started"
LAST_ACTIVE = "_rt_last_active"
IDLE_SECONDS = "_rt_idle_seconds"
DEVICE = "_rt_device"
PUBLIC_ID = "_rt_public_id"
MAX_SECONDS = "_rt_max_seconds"
REMEMBER_LABEL = "Stay signed in on this device"  # the sign-in form's checkbox

# Last activity is recorded to the minute: one session write a minute at most, not one a request.
ACTIVITY_RESOLUTION_SECONDS = 60


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from routinie.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        row: Any = super().create_model_instance(data)
        row.user_id = data.get("_auth_user_id")
        row.public_id = data.get(PUBLIC_ID, "")
        row.device = data.get(DEVICE, "")
        started, last = data.get(STARTED), data.get(LAST_ACTIVE)
        if started is not None and last is not None:
            idle = data.get(IDLE_SECONDS, settings.SESSION_IDLE_SECONDS)
            row.created_at = _at(started)
            row.last_active = _at(last)
            lifetime = data.get(MAX_SECONDS, settings.SESSION_MAX_SECONDS)
            row.expire_date = min(_at(last + idle), _at(started + lifetime))
        return row


def mark_shared_computer(request: HttpRequest) -> None:
    """Shorten this session's idle timeout: the person said the computer is shared."""
    request.session[IDLE_SECONDS] = settings.SESSION_SHARED_IDLE_SECONDS


def remember_device(request: HttpRequest) -> None:
    """Stay signed in on this device: the cookie gets a Max-Age and the session lasts
    SESSION_REMEMBER_SECONDS from sign-in, idle or not (the idle limit is that long too)."""
    lifetime = settings.SESSION_REMEMBER_SECONDS
    request.session[MAX_SECONDS] = lifetime
    request.session[IDLE_SECONDS] = lifetime
    request.session.set_expiry(lifetime)


@receiver(user_logged_in)
def start_session_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Every sign-in (our pages, the admin, tests) starts the session's clocks."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_ACTIVE] = now
    request.session[IDLE_SECONDS] = settings.SESSION_IDLE_SECONDS
    request.session[DEVICE] = coarse_device(request.META.get("HTTP_USER_AGENT", ""))
    request.session[PUBLIC_ID] = uuid.uuid4().hex


class SessionLifetimeMiddleware:
    """Ends a signed-in session past its idle timeout or absolute lifetime; records activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        started = session.get(STARTED)
        if started is not None:
            now = time.time()
            last = session.get(LAST_ACTIVE, started)
            idle = session.get(IDLE_SECONDS, settings.SESSION_IDLE_SECONDS)
            lifetime = session.get(MAX_SECONDS, settings.SESSION_MAX_SECONDS)
            if now - last > idle or now - started > lifetime:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, "You were signed out after a period without activity.")
            elif now - last >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVE] = now
        return signed_out_answer(request, self.get_response(request))


def signed_out_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page's htmx request made after its session ended gets a plain 401, which the page's
    script turns into "Your session ended: sign in again", instead of a sign-in page followed
    silently into the page (a redirect) or a bare CSRF refusal (the session's token is gone)."""
    if not is_htmx(request) or getattr(request, "user", None) is None:
        return response
    if request.user.is_authenticated:
        return response
    to_sign_in = response.status_code == 302 and response.get("Location", "").startswith(
        settings.LOGIN_URL
    )
    had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    if not to_sign_in and not (response.status_code == 403 and had_session):
        return response
    answer = HttpResponse(
        "Your session ended: sign in again.", status=401, content_type="text/plain; charset=utf-8"
    )
    answer.headers["WWW-Authenticate"] = 'Session realm="Routinie"'
    return answer
