"""How API requests authenticate: a personal bearer token, or the browser session with its
CSRF token (for pages that call the API)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from routinie.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        request.auth_via_token = True  # type: ignore[attr-defined]
        return user


API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
