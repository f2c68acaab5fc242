"""The second step of signing in with two-factor sign-in on.

After a right password, the session holds only a note that this person passed the first step
(whom, when, and the sign-in form's choices): it is not signed in, so it grants no page and no
API call. The note lasts 5 minutes. A right code (`finish`) signs in, which gives the session a
new id (Django's `login` rotates it)."""

import time
from dataclasses import dataclass

from django.http import HttpRequest

from routinie.accounts import services, two_factor
from routinie.accounts.models import User
from routinie.core.errors import InvalidInput, NotAuthenticated

PENDING = "_rt_two_factor_pending"
PENDING_SECONDS = 300
EXPIRED = "The sign-in took too long: please enter your e-mail address and password again."


@dataclass(frozen=True)
class Pending:
    user: User
    shared_computer: bool
    remember: bool
    next_url: str


def begin(
    *, request: HttpRequest, user: User, shared_computer: bool, remember: bool, next_url: str
) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": str(user.pk),
        "auth": user.get_session_auth_hash(),
        "at": time.time(),
        "shared": shared_computer,
        "remember": remember,
        "next": next_url,
    }


def pending(request: HttpRequest) -> Pending | None:
    """Who passed the first step in this session, if it was under 5 minutes ago (and their
    password has not changed since)."""
    note = request.session.get(PENDING)
    if not isinstance(note, dict):
        return None
    if time.time() - float(note.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=str(note.get("user")), is_active=True).first()
    if user is None or user.get_session_auth_hash() != note.get("auth"):
        request.session.pop(PENDING, None)
        return None
    return Pending(user, bool(note.get("shared")), bool(note.get("remember")), str(note["next"]))


def finish(*, request: HttpRequest, code: str) -> str:
    """Sign in the person of the first step with a right code; where to go next."""
    step = pending(request)
    if step is None:
        raise NotAuthenticated(EXPIRED)
    if not two_factor.passes(user=step.user, code=code):
        raise InvalidInput.on("code", two_factor.CODE_WRONG, "wrong_code")
    request.session.pop(PENDING, None)
    services.sign_in(
        request=request,
        user=step.user,
        shared_computer=step.shared_computer,
        remember=step.remember,
    )
    return step.next_url
