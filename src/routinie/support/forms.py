"""Page forms of the support inbox. They only carry what people type; the rules (empty, too
long, throttled) live in the services, whose errors are put back on the form."""

from typing import Any

from django import forms
from django.conf import settings

from routinie.core.errors import DomainError, FieldError, InvalidInput


def _message_field(label: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        label=label,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": settings.SUPPORT_MAX_CHAT_CHARS, "required": True}
        ),
    )


class NewConversationForm(forms.Form):
    subject = forms.CharField(
        required=False,
        label="Subject (optional)",
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "off"}),
    )
    body = _message_field("Your message")


class ReplyForm(forms.Form):
    body = _message_field("Your message")


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or InvalidInput with its errors (which the form already shows)."""
    if form.is_valid():
        return form.cleaned_data
    raise InvalidInput(
        "The form has errors.",
        [FieldError(name, str(m)) for name, found in form.errors.items() for m in found],
    )


def put_errors(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, next to the field it names."""
    if form.errors:  # the form's own errors, already shown
        return
    if not error.errors:
        form.add_error(None, error.detail)
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)
