"""Pages of two-factor sign-in: the sign-in's second step, "confirm it's you", and
/account/two-factor/ (turn on with the password and a code, recovery codes shown once, new
recovery codes, turn off). Parse, call `two_factor`, `second_step` or `reauth`, render."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from routinie.accounts import reauth, recovery_codes, second_step, two_factor
from routinie.accounts.auth import signed_in_user
from routinie.accounts.forms import (
    ConfirmItsYouForm,
    SecondStepForm,
    TwoFactorCheckForm,
    TwoFactorConfirmForm,
    TwoFactorPasswordForm,
)
from routinie.core.errors import DomainError, NotAuthenticated, RateLimited
from routinie.core.forms import add_domain_errors

PAGE = "accounts/two_factor.html"
CODES_PAGE = "accounts/recovery_codes.html"
CODES_FILE = "routinie-recovery-codes.txt"


def _refused(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    response.status_code = 429 if isinstance(error, RateLimited) else 422
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _safe_next(request: HttpRequest, url: str, default: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the field `code` (a TOTP code or a recovery code)."""
    begun = second_step.PENDING in request.session
    if second_step.pending(request) is None:
        if begun:  # the first step was done, too long ago (a typed address: just the form)
            messages.info(request, second_step.EXPIRED)
        return redirect("accounts:login")
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            next_url = second_step.finish(request=request, code=form.cleaned_data["code"])
        except NotAuthenticated as error:
            messages.info(request, error.detail)
            return redirect("accounts:login")
        except DomainError as error:
            add_domain_errors(form, error)
            return _refused(render(request, "accounts/login_code.html", {"form": form}), error)
        return HttpResponseRedirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


@login_required
def confirm_its_you(request: HttpRequest) -> HttpResponse:
    """Confirm the password (and a code) to export, erase, change the e-mail or password."""
    user = signed_in_user(request)
    next_url = _safe_next(
        request, request.POST.get("next") or request.GET.get("next") or "", "/account/"
    )
    form = ConfirmItsYouForm(request.POST or None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            reauth.confirm(
                request=request,
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except DomainError as refused:
            error = refused
            add_domain_errors(form, refused)
        else:
            messages.success(request, "Thank you: that was you. Please go on.")
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "two_factor_on": two_factor.is_on(user),
        "minutes": reauth.RECENT_SECONDS // 60,
    }
    response = render(request, "accounts/confirm_its_you.html", context)
    if request.method == "POST":
        return _refused(response, error)
    return response


def _page(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    user = signed_in_user(request)
    setup = two_factor.pending_setup(user)
    full = {
        "on": two_factor.is_on(user),
        "since": two_factor.enabled_at(user),
        "codes_left": recovery_codes.codes_left(user),
        "setup": setup,
        "begin_form": TwoFactorPasswordForm(auto_id="begin_%s"),
        "confirm_form": TwoFactorConfirmForm(),
        "off_form": TwoFactorCheckForm(auto_id="off_%s"),
        "codes_form": TwoFactorCheckForm(auto_id="codes_%s"),
        **context,
    }
    return render(request, PAGE, full, status=status)


def _codes(request: HttpRequest, codes: list[str], heading: str) -> HttpResponse:
    text = "Routinie recovery codes (each works once)\n\n" + "\n".join(codes) + "\n"
    context = {
        "codes": codes,
        "heading": heading,
        "download": "data:text/plain;charset=utf-8," + quote(text),
        "filename": CODES_FILE,
    }
    response = render(request, CODES_PAGE, context)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
def page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def begin(request: HttpRequest) -> HttpResponse:
    form = TwoFactorPasswordForm(request.POST, auto_id="begin_%s")
    if form.is_valid():
        try:
            two_factor.begin(user=signed_in_user(request), password=form.cleaned_data["password"])
        except DomainError as error:
            add_domain_errors(form, error)
            return _refused(_page(request, begin_form=form), error)
        return redirect("/account/two-factor/#confirm")
    return _page(request, 422, begin_form=form)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    form = TwoFactorConfirmForm(request.POST)
    if form.is_valid():
        try:
            codes = two_factor.confirm(user=signed_in_user(request), code=form.cleaned_data["code"])
        except DomainError as error:
            add_domain_errors(form, error)
            return _refused(_page(request, confirm_form=form), error)
        return _codes(request, codes, "Two-factor sign-in is on")
    return _page(request, 422, confirm_form=form)


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCheckForm(request.POST, auto_id="off_%s")
    if form.is_valid():
        try:
            two_factor.turn_off(user=signed_in_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
            return _refused(_page(request, off_form=form), error)
        messages.success(request, "Two-factor sign-in is off; its recovery codes are deleted.")
        return redirect("/account/#two-factor")
    return _page(request, 422, off_form=form)


@login_required
@require_POST
def new_codes(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCheckForm(request.POST, auto_id="codes_%s")
    if form.is_valid():
        try:
            codes = two_factor.new_recovery_codes(user=signed_in_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
            return _refused(_page(request, codes_form=form), error)
        return _codes(request, codes, "New recovery codes")
    return _page(request, 422, codes_form=form)
