"""Page forms of accounts. They parse input; the rules live in `services` (one place)."""

import zoneinfo
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django import forms

from routinie.accounts.sessions import REMEMBER_LABEL

SIGN_UP_FIELDS = {"name", "email", "password", "timezone", "accept_policy_version"}


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Every zone, named as people read it: "Europe · Bucharest · UTC+02:00" (today's offset),
    grouped by region (the list is sorted by region, then place)."""
    now = datetime.now(UTC)
    choices = []
    for tz in sorted(zoneinfo.available_timezones()):
        region, _, place = tz.replace("_", " ").rpartition("/")
        offset = now.astimezone(zoneinfo.ZoneInfo(tz)).strftime("%z")
        words = [region.replace("/", " · "), place] if region else [place]
        choices.append((tz, " · ".join([*words, f"UTC{offset[:3]}:{offset[3:]}"])))
    return choices


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {tz.lower(): tz for tz, _label in timezone_choices()}


class ZoneInput(forms.TextInput):
    """A text field that searches the zone list as one types (<input list> and its <datalist>),
    with no script and no third-party widget; the server still accepts only a known zone."""

    template_name = "accounts/widgets/zone_input.html"

    def __init__(self) -> None:
        super().__init__(
            attrs={"list": "timezone-list", "autocomplete": "off", "spellcheck": "false"}
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        context["widget"]["zones"] = timezone_choices()
        return context


class ZoneField(forms.CharField):
    """A time zone typed or picked: case and spaces forgiven ("europe/new york"), else refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Type a city or region to search, e.g. Bucharest.")
        super().__init__(max_length=64, widget=ZoneInput(), **kwargs)

    def clean(self, value: object) -> str:
        typed = str(super().clean(value)).strip().replace(" ", "_")
        zone = _zones_by_lower_name().get(typed.lower())
        if zone is None:
            raise forms.ValidationError(
                f"“{typed}” is not a time zone we know: pick one from the list, "
                "e.g. Europe/Bucharest.",
                code="invalid_choice",
            )
        return zone


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
    timezone = ZoneField(label="Time zone")
    week_start = forms.TypedChoiceField(
        label="Weeks start on",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(0, "Monday"), (6, "Sunday"), (5, "Saturday")],
    )
    forgotten_timer_hours = forms.IntegerField(
        label="Remind me of a forgotten timer after (hours)",
        required=False,
        min_value=0,
        max_value=168,
        help_text="A banner and one e-mail when a timer runs this long; 0 turns it off.",
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


def _code_field(label: str = "Two-factor code") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        help_text="The 6-digit code of your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


def _password_field(label: str = "Your password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondStepForm(forms.Form):
    """The sign-in's second step with two-factor sign-in on (the field `code`, api.md)."""

    code = _code_field()


class TwoFactorPasswordForm(forms.Form):
    password = _password_field()


class TwoFactorConfirmForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code your app shows",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class TwoFactorCheckForm(forms.Form):
    """Turning it off or making new recovery codes: the password and a code."""

    password = _password_field()
    code = _code_field()


class ConfirmItsYouForm(forms.Form):
    password = _password_field()
    code = forms.CharField(
        required=False,
        label="Two-factor code",
        max_length=40,
        help_text="The 6-digit code of your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
