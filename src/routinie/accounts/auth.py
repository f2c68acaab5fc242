"""How API requests authenticate: a personal bearer token, or the browser session with its
CSRF token (for pages that call the API)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from routinie.accounts.models import User
from routinie.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        request.auth_via_token = True  # type: ignore[attr-defined]
        return user


class BrowserSession(SessionAuth):
    """The signed-in browser session, with its CSRF check; nobody signed in is a plain 401
    (not a CSRF 403), as the API contract says for requests without credentials."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


API_AUTH = [BearerToken(), BrowserSession(csrf=True)]


def api_user(request: HttpRequest) -> User:
    """The person an authenticated API request acts for (token or session)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def signed_in_user(request: HttpRequest) -> User:
    """The person a signed-in page request acts for (views behind `login_required`)."""
    user = request.user
    assert isinstance(user, User), "signed_in_user needs login_required"
    return user


def page_user(context: Any) -> User:
    """The signed-in person of a template's context, for the cards other apps add to a page
    (their inclusion tags): the request's user, or the context's `user`."""
    user = getattr(context.get("request"), "user", None) or context.get("user")
    assert isinstance(user, User), "this card is shown to a signed-in person only"
    return user
