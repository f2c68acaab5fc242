"""Security headers on every response (P03, P17), and a Server header that names no version."""

from collections.abc import Callable, Mapping
from functools import wraps

from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from routinie.core.errors import NotFound

# Every asset is served by the platform itself: no third-party origin, no inline script.
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",  # the service worker (/sw.js)
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(extra: Mapping[str, list[str]] | None = None) -> str:
    """The policy, with `extra` sources added to some directives (one view's exception)."""
    merged = {
        name: " ".join([value, *(extra or {}).get(name, [])]) for name, value in DIRECTIVES.items()
    }
    for name, sources in (extra or {}).items():
        merged.setdefault(name, " ".join(["'self'", *sources]))
    return "; ".join(f"{name} {value}" for name, value in merged.items())


CONTENT_SECURITY_POLICY = content_security_policy()
View = Callable[..., HttpResponse]


def csp_exception(sources: Callable[[], Mapping[str, list[str]]]) -> Callable[[View], View]:
    """A view's own exception to the policy (the billing page loads the processor's card form):
    `sources()` names the origins added, per directive, for that view's responses only."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response.headers["Content-Security-Policy"] = content_security_policy(sources())
            return response

        return wrapped

    return decorate


SERVER_NAME = "Routinie"  # the Server header: no software, no version
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if not str(request.META.get("SERVER_SOFTWARE", "")).startswith("gunicorn"):
            # Django's own servers (`serve --dev`, the tests' live server) name their Python
            # version unless the answer has a Server header; gunicorn always sends its own,
            # which names no version ("gunicorn"), and would send ours beside it.
            response.headers.setdefault("Server", SERVER_NAME)
        return response


class NotFoundAsPageMiddleware:
    """A service's `NotFound` raised by a page view is the 404 page: one mapping for every
    view, so no view catches it to re-raise `Http404` (the API maps it in `routinie.api`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.detail))
        return None
