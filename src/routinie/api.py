"""API v1: one NinjaAPI, its authentication, and the one place errors become HTTP answers."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from routinie.accounts.api import auth_router, me_router
from routinie.accounts.auth import API_AUTH
from routinie.billing import api as billing
from routinie.core.errors import DomainError, RateLimited
from routinie.core.openapi_answers import add_error_answers
from routinie.policy.api import router as public_policy_router
from routinie.privacy.api import router as public_privacy_router
from routinie.privacy.erasure_api import add_account_erasure
from routinie.privacy.export_api import router as export_router
from routinie.stats.api import router as public_stats_router
from routinie.support.api import router as support_router
from routinie.tracking.api import router as tracking_router

# The error answers an operation gives by a rule of its own (the others follow from what it
# takes: `core.openapi_answers`), by operation id.
OWN_ANSWERS: dict[str, tuple[int, ...]] = {
    "routinie_accounts_api_signup": (409, 429),  # the e-mail has an account; throttled
    "routinie_accounts_api_create_token": (401, 429),  # wrong e-mail or password; throttled
    "routinie_accounts_api_request_password_reset": (429,),
    "routinie_accounts_api_confirm_password_reset": (429,),
    "routinie_accounts_api_update_me": (409,),  # the new e-mail has an account
    "routinie_privacy_export_api_start": (429,),  # a few exports a day
    "routinie_support_api_start_conversation": (429,),  # chat messages an hour
    "routinie_support_api_post_message": (429,),
    "routinie_tracking_api_update_project": (409,),  # the name is taken
    "routinie_tracking_api_create_goal": (409,),  # a goal for this period and target exists
    "routinie_tracking_api_update_goal": (409,),
    "routinie_tracking_api_update_entry": (409,),  # a timer runs already
    "routinie_tracking_api_duplicate_entry": (409,),  # it is running
    "routinie_tracking_api_continue_entry": (409,),
    "routinie_tracking_api_start_timer": (409,),  # another was started at the same moment
    "routinie_tracking_api_stop_timer": (409,),  # nothing runs
    "routinie_tracking_api_pause_timer": (409,),  # nothing runs, or it is paused already
    "routinie_tracking_api_resume_timer": (409,),  # nothing runs, or it is not paused
    "routinie_tracking_api_start_run": (409,),  # the routine has no steps; a timer conflict
    "routinie_tracking_api_next_step": (409,),  # the routine is not running
    "routinie_tracking_api_finish_run": (409,),
    "routinie_billing_api_subscribe": (402, 409, 503),  # declined; active; processor down
    "routinie_billing_api_cancel_subscription": (409, 503),  # on the free plan; processor down
    "routinie_billing_api_webhook": (400, 413),  # a missing, wrong or stale signature; too big
}


class RoutinieApi(NinjaAPI):
    """Operation ids leave out an app's sub-package (`routinie.tracking.entries.api.list_projects`
    is `routinie_tracking_api_list_projects`), so generated clients keep their method names when
    an app is divided by concept."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        add_error_answers(schema, OWN_ANSWERS)
        return schema

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


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot read (no boundary, a broken part): the client's error."""
    return _error(request, 400, "The body is not a readable multipart/form-data form.")


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
