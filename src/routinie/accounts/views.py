"""Account pages: sign-up, sign-in, sign-out and /account/. Parse, call a service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from routinie.accounts import (
    reauth,
    recovery_codes,
    second_step,
    selectors,
    services,
    throttling,
    two_factor,
)
from routinie.accounts.auth import signed_in_user
from routinie.accounts.context import welcome_once
from routinie.accounts.forms import (
    PasswordChangeForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
    TokenForm,
)
from routinie.accounts.models import normalize_email
from routinie.accounts.password_rules import PASSWORD_RULES
from routinie.accounts.policy_terms import policy_terms
from routinie.core.errors import DomainError, RateLimited
from routinie.core.forms import add_domain_errors
from routinie.core.throttling import Limit, client_address

AFTER_SIGN_IN = "/today/"  # where signing in lands without ?next=


def _refused(response: HttpResponse, error: DomainError) -> HttpResponse:
    response.status_code = 429 if isinstance(error, RateLimited) else 422
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("/")
    policy_version = policy_terms().version_in_force()
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slot = None
        try:
            slot = throttling.sign_up_per_client().take(client_address(request))
            user = services.sign_up(
                name=data["name"],
                email=data["email"],
                password=data["password"],
                accept_policy_version=data["accept_policy_version"] or policy_version or 0,
                timezone_name=data["timezone"] or "UTC",
            )
        except DomainError as error:
            if slot is not None:  # only accounts made count
                slot.give_back()
            add_domain_errors(form, error)
            context = {"form": form, "policy_version": policy_version, "rules": PASSWORD_RULES}
            return _refused(render(request, "accounts/signup.html", context), error)
        services.sign_in(request=request, user=user)
        welcome_once(request)  # said once, with the request to confirm the address
        return redirect(AFTER_SIGN_IN)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "policy_version": policy_version, "rules": PASSWORD_RULES}
    return render(request, "accounts/signup.html", context, status=status)


def login_page(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or AFTER_SIGN_IN
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = AFTER_SIGN_IN
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_credentials(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
            context = {"form": form, "next": next_url}
            return _refused(render(request, "accounts/login.html", context), error)
        if two_factor.is_on(user):
            second_step.begin(
                request=request,
                user=user,
                shared_computer=form.cleaned_data["shared_computer"],
                remember=form.cleaned_data["remember"],
                next_url=next_url,
            )
            return redirect("accounts:login-code")
        services.sign_in(
            request=request,
            user=user,
            shared_computer=form.cleaned_data["shared_computer"],
            remember=form.cleaned_data["remember"],
        )
        return HttpResponseRedirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    return redirect("/?signed_out=1")


def _account_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    user = signed_in_user(request)
    return {
        "profile_form": forms.get("profile_form")
        or ProfileForm(
            initial={
                "name": user.name,
                "email": user.email,
                "timezone": user.timezone,
                "week_start": user.week_start,
                "forgotten_timer_hours": user.forgotten_timer_hours,
            }
        ),
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "token_form": forms.get("token_form") or TokenForm(),
        "new_token": forms.get("new_token"),
        "sessions": selectors.sessions_of(user),
        "current_session_key": request.session.session_key,
        "tokens": selectors.tokens_of(user),
        "rules": PASSWORD_RULES,
        "two_factor_on": two_factor.is_on(user),
        "two_factor_since": two_factor.enabled_at(user),
        "recovery_codes_left": recovery_codes.codes_left(user),
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request))


def _account_refused(request: HttpRequest, error: DomainError | None, **forms: Any) -> HttpResponse:
    response = render(request, "accounts/account.html", _account_context(request, **forms))
    response.status_code = 422
    return response


@login_required
@require_POST
def account_profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _account_refused(request, None, profile_form=form)
    user = signed_in_user(request)
    if normalize_email(form.cleaned_data["email"]) != user.email and not reauth.is_recent(request):
        messages.info(request, "To change your e-mail address, confirm it's you first.")
        return reauth.ask(request, "/account/#profile")
    try:
        services.update_profile(
            user=user,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            timezone_name=form.cleaned_data["timezone"],
            week_start=form.cleaned_data["week_start"],
            forgotten_timer_hours=form.cleaned_data["forgotten_timer_hours"],
            current_password=form.cleaned_data["current_password"],
        )
    except DomainError as error:
        user.refresh_from_db()
        add_domain_errors(form, error)
        return _account_refused(request, error, profile_form=form)
    messages.success(request, "Your profile is saved.")
    return redirect("/account/#profile")


@login_required
@require_POST
@reauth.recent_sign_in_required("/account/#password")
def account_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    user = signed_in_user(request)
    if form.is_valid():
        try:
            services.change_password(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                request=request,
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request, "Your password is changed. Every other session was signed out."
            )
            return redirect("/account/#password")
    return _account_refused(request, None, password_form=form)


@login_required
@require_POST
def account_sessions_revoke_others(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    count = services.revoke_other_sessions(user=user, request=request)
    messages.success(request, f"Signed out {count} other session(s).")
    return redirect("/account/#sessions")


@login_required
@require_POST
def account_session_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.revoke_session(user=user, public_id=public_id)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "That session is signed out.")
    return redirect("/account/#sessions")


@login_required
def account_token_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":  # the address reloaded or typed: the tokens, on the account
        return redirect("/account/#tokens")
    if not reauth.is_recent(request):  # a token outlives the session, and skips the code
        return reauth.ask(request, "/account/#tokens")
    form = TokenForm(request.POST)
    user = signed_in_user(request)
    if form.is_valid():
        try:
            token, secret = services.create_api_token(user=user, label=form.cleaned_data["label"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            context = _account_context(request, new_token={"label": token.label, "secret": secret})
            return render(request, "accounts/account.html", context, status=201)
    return _account_refused(request, None, token_form=form)


@login_required
@require_POST
def account_token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.revoke_api_token(user=user, token_id=token_id)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "The token is revoked; it no longer works.")
    return redirect("/account/#tokens")


def confirm_email_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail."""
    from routinie.accounts.confirmation import confirm_email

    try:
        user = confirm_email(token)
    except DomainError as error:
        return render(request, "accounts/email_confirmed.html", {"error": error.detail}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.user = user  # this page's banners already know the address is confirmed
    return render(request, "accounts/email_confirmed.html", {"confirmed_email": user.email})


@login_required
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    from routinie.accounts.confirmation import request_confirmation

    user = signed_in_user(request)
    try:
        Limit("confirmation-resend", 3, 3600).take(str(user.pk))
    except RateLimited as error:
        messages.error(request, error.detail)
        return redirect("/account/")
    if user.email_confirmed_at is None:
        request_confirmation(user)
    messages.success(request, f"We sent a new link to {user.email}.")
    return redirect("/account/")
