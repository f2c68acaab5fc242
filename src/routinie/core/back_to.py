"""Where a form asked to go back to after it is done: its `next` field, when that is a page of
this site (a path; never another host, so it cannot be turned into an open redirect)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, default: str) -> str:
    """The form's `next` when it is a path of this site, else `default`."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default
