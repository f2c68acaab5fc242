"""Erasure in API v1 (P18): `DELETE /api/v1/me` with the password erases the account at once.

The operation sits on accounts' `/me` router, beside `GET` and `PATCH /me`: ninja answers a URL
from the first router that has it, so a router of privacy's own at the same address would answer
405 to a DELETE. `routinie.api` adds it with `add_account_erasure(me_router)`.
"""

from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import Field

from routinie.accounts.auth import api_user
from routinie.core.schemas import Input, SafeStr
from routinie.privacy.erasure import erase_account


class DeleteAccountIn(Input):
    password: SafeStr = Field(max_length=4096)


def delete_me(request: HttpRequest, payload: DeleteAccountIn) -> HttpResponse:
    """Erase the account and everything personal of it (P18)."""
    erase_account(user=api_user(request), password=payload.password)
    return HttpResponse(status=204)


def add_account_erasure(me_router: Router) -> None:
    """Add `DELETE /me` to the router mounted at `/me`."""
    me_router.delete(
        "",
        response={204: None},
        # The id it had while accounts held it: clients generated from the spec name it so.
        operation_id="routinie_accounts_api_delete_me",
    )(delete_me)
