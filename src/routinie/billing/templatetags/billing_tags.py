"""The plans as the landing page shows them, from the one table (`billing.plans`): core's
landing template loads this tag, so no page of a lower layer knows a price."""

from typing import Any

from django import template

from routinie.billing.plans import PLANS

register = template.Library()


@register.inclusion_tag("billing/_pricing.html")
def pricing_plans() -> dict[str, Any]:
    return {"plans": PLANS}
