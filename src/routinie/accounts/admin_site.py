"""The admin site, whose login is the sign-in's: the same credentials check, so the same
throttles (P12). An account has one counter whether it is tried at /login/, at the API's
`POST /auth/tokens` or at /admin/login/; a failure reads as the admin's own does today, the same
for an unknown address and a known one. An account with two-factor sign-in is sent to /login/
(the admin's form has no second step), then the signed-in session opens /admin/."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from routinie.accounts import services, two_factor
from routinie.core.errors import NotAuthenticated, RateLimited


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    refusal: RateLimited | None = None

    def clean(self) -> dict[str, Any]:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            assert self.request is not None, "the admin's login passes its request"
            try:
                self.user_cache = services.check_credentials(
                    request=self.request, email=email, password=password
                )
            except RateLimited as error:
                self.refusal = error
                raise ValidationError(error.detail, code="throttled") from None
            except NotAuthenticated:
                raise self.get_invalid_login_error() from None
            if two_factor.is_on(self.user_cache):  # the admin's form has no second step
                raise ValidationError(
                    "This account uses two-factor sign-in: sign in at /login/, then open /admin/.",
                    code="two_factor",
                )
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ThrottledAdminSite(admin.AdminSite):
    login_form = ThrottledAdminLoginForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response: HttpResponse = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if isinstance(form, ThrottledAdminLoginForm) and form.refusal is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(form.refusal.retry_after)
        return response
