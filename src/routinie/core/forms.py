"""Page forms and the services' refusals: one way to show a `DomainError` on a form."""

from collections.abc import Mapping

from django import forms

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
