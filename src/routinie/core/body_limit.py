"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) answers 413, before any view or
middleware reads it: the API's JSON error shape under /api/, a plain page elsewhere, in DEBUG
and in production alike (Django alone would raise RequestDataTooBig wherever the body is first
read: a traceback page in DEBUG, a 400 otherwise).

Uploaded files in a multipart form do not count against the limit (Django's own rule: only the
form's other fields do), so a multipart POST is parsed here, once, to find out."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def too_large_detail() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"The request body is larger than the limit of {megabytes:g} MB."


def too_large(request: HttpRequest) -> HttpResponse:
    detail = too_large_detail()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=413)
    return render(request, "core/413.html", {"detail": detail}, status=413)


def body_is_too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return False
    if request.content_type == "multipart/form-data":
        if request.method != "POST":
            return False
        try:
            request.POST  # noqa: B018 (parsed here: the form's fields count, its files do not)
        except RequestDataTooBig:
            return True
        return False
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django reads such a body as empty
    return declared > limit


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if body_is_too_large(request):
            return too_large(request)
        return self.get_response(request)
