"""Private answers are never kept by a browser or a cache (P14): every response to a signed-in
person (a session or a bearer token) says `Cache-Control: no-store, private`, whatever the
view said, so on a shared computer neither the back button nor a cache shows a page after
sign-out. Answers to anonymous visitors keep whatever caching their view gives them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE = "no-store, private"


def is_private(request: HttpRequest) -> bool:
    """The request was answered for a signed-in person (AuthenticationMiddleware's session
    user, or the API's bearer token, which sets `request.user` too)."""
    user = getattr(request, "user", None)  # absent for static files, answered earlier
    return bool(user is not None and user.is_authenticated)


class PrivateAnswersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response
