"""htmx requests: pages answer them with a fragment instead of a whole page."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx made this request (and wants a fragment back)."""
    return request.headers.get("HX-Request") == "true"
