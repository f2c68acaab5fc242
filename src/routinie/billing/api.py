"""Billing in API v1: the plans (public), the person's subscription and invoices, and the
processor's webhook (signed, not signed in)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from routinie.accounts.auth import api_user
from routinie.billing import presenters, selectors, services, webhooks
from routinie.billing.schemas import InvoiceList, PlanList, SubscriptionIn, SubscriptionOut

public_router = Router(tags=["billing"], auth=None)
me_router = Router(tags=["billing"])
webhook_router = Router(tags=["billing"], auth=None)


@public_router.get("/plans", response=PlanList)
def list_plans(request: HttpRequest) -> dict[str, Any]:
    return {"items": presenters.plans()}


@me_router.get("/subscription", response=SubscriptionOut)
def get_subscription(request: HttpRequest) -> dict[str, Any]:
    return presenters.subscription(selectors.subscription_of(api_user(request)))


@me_router.post("/subscription", response={201: SubscriptionOut})
def subscribe(request: HttpRequest, payload: SubscriptionIn) -> Status[dict[str, Any]]:
    row = services.subscribe(
        user=api_user(request),
        plan_id=payload.plan_id,
        payment_method_id=payload.payment_method_id,
    )
    return Status(201, presenters.subscription(row))


@me_router.delete("/subscription", response=SubscriptionOut)
def cancel_subscription(request: HttpRequest) -> dict[str, Any]:
    return presenters.subscription(services.cancel(user=api_user(request)))


@me_router.get("/invoices", response=InvoiceList)
def list_invoices(request: HttpRequest) -> dict[str, Any]:
    return {"items": [presenters.invoice(i) for i in selectors.invoices_of(api_user(request))]}


@webhook_router.post("/webhook", response={200: dict[str, bool]})
def webhook(request: HttpRequest) -> dict[str, bool]:
    event = webhooks.verify(request.body, request.headers.get("Stripe-Signature", ""))
    return {"applied": webhooks.apply(event)}
