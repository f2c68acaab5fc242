"""Test-only addresses that write, then fail: the site's own URLs plus a page and an API
operation that sign a person up (rows in several tables, a side effect queued for the commit, as
the services queue their e-mails) and then raise. `tests/e2e/test_failed_request_rollback_http.py` serves them with
`ROOT_URLCONF` pointed here; the platform never does."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from routinie.accounts.services import sign_up

# The e-mail addresses whose side effect ran after a commit (the live server shares the process).
AFTER_COMMIT: list[str] = []


class Planted(RuntimeError):
    """The failure a test plants after the writes."""


def _sign_up_then_fail(request: HttpRequest) -> None:
    email = request.GET["email"]
    sign_up(
        name="Written Then Failed",
        email=email,
        password="tidy-Lantern-42",
        accept_policy_version=1,
        timezone_name="UTC",
    )
    transaction.on_commit(lambda: AFTER_COMMIT.append(email))
    if request.GET.get("fail", "1") == "1":
        raise Planted("a failure after the writes")


@csrf_exempt
def page(request: HttpRequest) -> HttpResponse:
    _sign_up_then_fail(request)
    return HttpResponse("written")


failing_api = NinjaAPI(urls_namespace="test-failing-api", docs_url=None)


@failing_api.post("/sign-up-then-fail", auth=None)
def api_operation(request: HttpRequest) -> dict[str, str]:
    _sign_up_then_fail(request)
    return {"detail": "written"}


urlpatterns = [
    path("test-only/sign-up-then-fail/", page),
    path("test-only/api/", failing_api.urls),
    path("", include("routinie.urls")),
]
