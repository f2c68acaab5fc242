"""Page forms of accounts. They parse input; the rules live in `services` (one place)."""

import zoneinfo
from functools import cache

from django import forms

from routinie.accounts.sessions import REMEMBER_LABEL

SIGN_UP_FIELDS = {"name", "email", "password", "timezone", "accept_policy_version"}


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


class SignUpForm(forms.Form):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-strength": "", "aria-describedby": "rules"}
        ),
    )
    timezone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-browser-timezone": ""})
    )
    accept_policy_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        unknown = sorted(set(self.data) - SIGN_UP_FIELDS - {"csrfmiddlewaretoken"})
        if unknown:
            raise forms.ValidationError(
                f"Sign-up asks only for your name, e-mail address and password; "
                f"unexpected field(s): {', '.join(unknown)}."
            )
        return super().clean() or {}


class SignInForm(forms.Form):
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    shared_computer = forms.BooleanField(
        required=False,
        label="This is a shared or public computer",
        help_text="Signs you out after 15 minutes without activity.",
    )
    remember = forms.BooleanField(
        required=False,
        label=REMEMBER_LABEL,
        help_text="For 30 days, even after you close the browser. Not on a shared computer.",
    )


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail address")
    timezone = forms.ChoiceField(label="Time zone", choices=timezone_choices)
    week_start = forms.TypedChoiceField(
        label="Weeks start on",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(0, "Monday"), (6, "Sunday"), (5, "Saturday")],
    )
    current_password = forms.CharField(
        required=False,
        strip=False,
        label="Current password (only to change your e-mail address)",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-strength": ""}),
    )


class TokenForm(forms.Form):
    label = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"placeholder": "e.g. laptop script"})
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label="New password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-strength": "", "aria-describedby": "rules"}
        ),
    )
