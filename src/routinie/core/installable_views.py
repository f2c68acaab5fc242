"""The installable web app's files: the manifest, the service worker and the offline page."""

import json

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from routinie.core.installable import shell_urls, shell_version, web_app_manifest


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return JsonResponse(web_app_manifest(), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, from the root so its scope is the whole site; never cached by the HTTP cache, so
    the browser sees a new version as soon as the shell changes."""
    response = render(
        request,
        "core/service_worker.js",
        {"version": shell_version(), "shell": json.dumps(shell_urls())},
        content_type="text/javascript; charset=utf-8",
    )
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has not kept, without a connection. The
    same for everyone (it is cached once, signed in or not), so it is drawn signed out."""
    request.user = AnonymousUser()
    return render(request, "core/offline.html")
