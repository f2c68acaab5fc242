"""The calendar address's card on /account/ (the accounts app's page, a layer below, includes
the card's template; this tag gives it the person's feed)."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("tracking/_calendar_feed_state.html", takes_context=True)
def calendar_feed_state(context: template.Context) -> dict[str, Any]:
    from routinie.accounts.models import User
    from routinie.tracking.feed.services import feed_of

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    assert isinstance(user, User), "calendar_feed_state is shown to a signed-in person only"
    return {"feed": feed_of(user), "csrf_token": context.get("csrf_token")}
