"""API v1: one NinjaAPI, its authentication, and the one place errors become HTTP answers."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from routinie.accounts.api import auth_router, me_router
from routinie.accounts.auth import API_AUTH
from routinie.billing import api as billing
from routinie.core.errors import DomainError, RateLimited
from routinie.policy.api import router as public_policy_router
from routinie.privacy.api import router as public_privacy_router
from routinie.privacy.erasure_api import add_account_erasure
from routinie.privacy.export_api import router as export_router
from routinie.stats.api import router as public_stats_router
from routinie.support.api import router as support_router
from routinie.tracking.api import router as tracking_router


class RoutinieApi(NinjaAPI):
    """Operation ids leave out an app's sub-package (`routinie.tracking.entries.api.list_projects`
    is `routinie_tracking_api_list_projects`), so generated clients keep their method names when
    an app is divided by concept."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        parts = operation.view_func.__module__.split(".")
        if len(parts) > 3:
            parts = [*parts[:2], parts[-1]]
        return "_".join([*parts, operation.view_func.__name__])


api = RoutinieApi(
    title="Routinie API",
    version="1",
    description="Time entries, routines and your account. Bearer tokens: see /account/.",
    auth=API_AUTH,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field_of(location: Any) -> str:
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "body"


_MESSAGES = {
    "extra_forbidden": "Unknown field: this endpoint does not accept it.",
    "missing": "This field is required.",
    "json_invalid": "The body is not valid JSON.",
}


def _message_of(item: dict[str, Any]) -> str:
    """pydantic's message, without the "Value error, " it puts before our validators' own."""
    return str(item.get("msg", "Invalid value.")).removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field_of(item.get("loc", ())),
            "message": _MESSAGES.get(item.get("type", ""), _message_of(item)),
        }
        for item in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", errors)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]
    response = _error(request, exc.status, exc.detail, errors)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Authentication required: send a bearer token.")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc.message))


api.add_router("/auth", auth_router)
add_account_erasure(me_router)
api.add_router("/me", me_router)
api.add_router("/me", export_router)
api.add_router("/public", public_policy_router)
api.add_router("/public", public_privacy_router)
api.add_router("/public", public_stats_router)
api.add_router("/support", support_router)
api.add_router("", tracking_router)
api.add_router("/me", billing.me_router)
api.add_router("/public", billing.public_router)
api.add_router("/billing", billing.webhook_router)
