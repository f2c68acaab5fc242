"""What the billing page and the API show of a plan, a subscription and an invoice."""

from typing import Any

from routinie.billing.models import Invoice, Subscription
from routinie.billing.plans import CURRENCY, PLANS, money


def plans() -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "name": p.name,
            "price_cents": p.price_cents,
            "currency": CURRENCY,
            "interval": p.interval,
            "features": list(p.features),
            "price_text": p.price_text,
            "paid": p.paid,
        }
        for p in PLANS
    ]


def subscription(row: Subscription) -> dict[str, Any]:
    return {
        "plan_id": row.plan_id,
        "status": row.status,
        "current_period_end": row.current_period_end,
        "cancel_at_period_end": row.cancel_at_period_end,
    }


def invoice(row: Invoice) -> dict[str, Any]:
    return {
        "id": row.pk,
        "number": row.label,
        "amount_cents": row.amount_cents,
        "currency": row.currency,
        "issued_at": row.issued_at,
        "status": row.status,
        "amount_text": money(row.amount_cents),
    }
