"""Page forms and the services' refusals: one way to show a `DomainError` on a form."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from routinie.core.date_range import EARLIEST, LATEST, RANGE_TEXT, date_in_range
from routinie.core.errors import DomainError


def add_domain_errors(
    form: forms.Form, error: DomainError, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: on the field it names (renamed through `fields`
    when the service's name differs from the form's), or above the form."""
    if not error.errors:
        form.add_error(None, error.detail)
    for item in error.errors:
        name = (fields or {}).get(item.field, item.field)
        form.add_error(name if name in form.fields else None, item.message)


def _in_range(day: date) -> None:
    if not date_in_range(day):
        raise ValidationError(f"Choose a date {RANGE_TEXT}.", code="out_of_range")


class RangedDateField(forms.DateField):
    """A date of a page's form, inside `core.date_range` (the API's and the imports' range): a
    date outside it is a form error, never a time the pages cannot show; the browser's date
    picker is told the same range."""

    default_validators = [_in_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.setdefault("min", EARLIEST.isoformat())
            attrs.setdefault("max", LATEST.isoformat())
        return attrs
