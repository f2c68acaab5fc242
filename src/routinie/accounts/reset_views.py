"""The password-reset pages: ask for a link (/password-reset/), use it (/password-reset/<token>/).

The same rules as the API (`password_reset`): the same answer whether or not an account exists,
a link valid 1 hour and usable once, a weak password refused naming the rule."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from routinie.accounts import password_reset
from routinie.accounts.forms import PasswordResetForm, PasswordResetRequestForm
from routinie.accounts.password_rules import PASSWORD_RULES
from routinie.core.errors import DomainError, RateLimited
from routinie.core.forms import add_domain_errors
from routinie.core.throttling import client_address

TEMPLATE = "accounts/password_reset.html"
CONFIRM_TEMPLATE = "accounts/password_reset_confirm.html"


def request_page(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": form})
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=422)
    try:
        password_reset.request_reset(
            email=form.cleaned_data["email"], client=client_address(request)
        )
    except RateLimited as error:
        add_domain_errors(form, error)
        response = render(request, TEMPLATE, {"form": form}, status=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    return render(request, TEMPLATE, {"form": form, "sent": password_reset.REQUESTED})


@never_cache
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = password_reset.valid_link(token)
    except DomainError as error:
        return render(request, CONFIRM_TEMPLATE, {"link_error": error.detail}, status=400)
    form = PasswordResetForm(request.POST or None)
    context = {"form": form, "rules": PASSWORD_RULES, "account_email": link.user.email}
    if request.method != "POST":
        return render(request, CONFIRM_TEMPLATE, context)
    if form.is_valid():
        try:
            password_reset.reset_password(secret=token, new_password=form.cleaned_data["password"])
        except DomainError as error:
            if isinstance(error, password_reset.BadResetLink):
                return render(request, CONFIRM_TEMPLATE, {"link_error": error.detail}, status=400)
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                "Your password is changed and every session is signed out. Sign in with it.",
            )
            return redirect("/login/")
    return render(request, CONFIRM_TEMPLATE, context, status=422)
