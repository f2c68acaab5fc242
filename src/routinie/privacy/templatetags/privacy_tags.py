"""Template tags of privacy pages."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("privacy/_export_status.html", takes_context=True)
def export_status(context: template.Context) -> dict[str, Any]:
    """The status of the signed-in user's latest data export, for the card on /account/."""
    from routinie.accounts.auth import page_user
    from routinie.privacy.export_archive import latest_export
    from routinie.privacy.export_views import status_context

    user = page_user(context)
    values = status_context(user, latest_export(user))
    values["csrf_token"] = context.get("csrf_token")
    values["request"] = context.get("request")
    return values
