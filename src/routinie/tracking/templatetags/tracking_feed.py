"""The calendar address's card on /account/ (the accounts app's page, a layer below, includes
the card's template; this tag gives it the person's feed)."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("tracking/_calendar_feed_state.html", takes_context=True)
def calendar_feed_state(context: template.Context) -> dict[str, Any]:
    from routinie.accounts.auth import page_user
    from routinie.tracking.feed.services import feed_of

    return {"feed": feed_of(page_user(context)), "csrf_token": context.get("csrf_token")}
