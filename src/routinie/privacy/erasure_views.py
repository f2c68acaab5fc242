"""The "delete my account" page: password confirmation, and what is kept and why."""

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from routinie.accounts.auth import signed_in_user
from routinie.accounts.reauth import recent_sign_in_required
from routinie.core.errors import DomainError
from routinie.core.forms import add_domain_errors
from routinie.privacy.erasure import KEPT_BY_LAW, erase_account


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        strip=False,
        label="Your password, to confirm",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@login_required
@recent_sign_in_required("/account/delete/")
def delete_account(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = erase_account(user=user, password=form.cleaned_data["password"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            logout(request)
            return render(request, "privacy/account_deleted.html", {"kept": kept})
        status = 422
    else:
        status = 422 if request.method == "POST" else 200
    return render(
        request, "privacy/account_delete.html", {"form": form, "kept": KEPT_BY_LAW}, status=status
    )
