"""Confirm it's you: the pages that export or erase data or change the e-mail address or the
password (and make API tokens) need a sign-in, or a confirmation of the password (and of a
two-factor code when it is on), within the last 10 minutes.

The time is kept in the session; every sign-in sets it (a `user_logged_in` receiver), and
confirming sets it again and gives the session a new id. Bearer clients are not asked: their
token was made with the password (and the code).
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from routinie.accounts import throttling, two_factor
from routinie.accounts.models import User
from routinie.core.errors import DomainError, InvalidInput
from routinie.core.htmx import is_htmx

CONFIRMED_AT = "_rt_confirmed_at"
RECENT_SECONDS = 600
CONFIRM_PATH = "/account/confirm/"


class ReauthenticationNeeded(DomainError):
    """A session without a recent sign-in asked for something that needs one (HTTP 403)."""

    status = 403


@receiver(user_logged_in)
def note_sign_in(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[CONFIRMED_AT] = time.time()


def is_recent(request: HttpRequest) -> bool:
    if getattr(request, "auth_via_token", False):
        return True
    confirmed = request.session.get(CONFIRMED_AT)
    return isinstance(confirmed, int | float) and time.time() - confirmed <= RECENT_SECONDS


def require_recent(request: HttpRequest) -> None:
    """For API operations: a browser session must have confirmed it's you recently."""
    if not is_recent(request):
        raise ReauthenticationNeeded(
            f"Confirm it's you first: sign in again or confirm your password at {CONFIRM_PATH} "
            f"(needed within {RECENT_SECONDS // 60} minutes for this)."
        )


def ask(request: HttpRequest, back: str) -> HttpResponse:
    """Send the person to "confirm it's you", then back to `back`."""
    url = f"{CONFIRM_PATH}?{urlencode({'next': back})}"
    if is_htmx(request):
        response = HttpResponse(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def recent_sign_in_required(
    back: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page that needs a recent sign-in; without one it goes to "confirm it's you" and then
    to `back` (default: the page itself, for pages that can be opened)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_recent(request):
                return ask(request, back or request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def confirm(*, request: HttpRequest, user: User, password: str, code: str) -> None:
    """Confirm it's `user`: the password, and a code when two-factor sign-in is on. The session
    then gets a new id and counts as freshly signed in for RECENT_SECONDS."""
    right = throttling.counted_attempt(
        throttling.reauth_per_account(),
        user.email,
        lambda: bool(password) and user.check_password(password),
    )
    if not right:
        raise InvalidInput.on("password", "Your password is not right.", "wrong_password")
    if two_factor.is_on(user):
        if not code:
            raise InvalidInput.on("code", two_factor.CODE_NEEDED, "code_needed")
        if not two_factor.passes(user=user, code=code):
            raise InvalidInput.on("code", two_factor.CODE_WRONG, "wrong_code")
    request.session.cycle_key()
    request.session[CONFIRMED_AT] = time.time()
