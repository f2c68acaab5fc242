"""Public pages of the house: home, contact, and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from routinie.core.landing import landing_sections


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": landing_sections()})


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the site's icon (an SVG)."""
    return redirect(static("routinie/icon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form: say plainly when the cause is that the browser blocks cookies (P11)."""
    cookies_blocked = settings.CSRF_COOKIE_NAME not in request.COOKIES
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "CSRF check failed: send the X-CSRFToken header, or use a bearer token."},
            status=403,
        )
    return render(
        request, "core/csrf_failure.html", {"cookies_blocked": cookies_blocked}, status=403
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "errors": []}, status=404)
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read.", "errors": []}, status=400)
    return render(request, "core/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)
