"""The processor's events (POST /api/v1/billing/webhook): Stripe's signature scheme
(HMAC-SHA256 of `t.body` with STRIPE_WEBHOOK_SECRET, compared in constant time, at most
5 minutes old), each event id applied once, and order-independent: an event only says which
subscription or invoice changed; its current state is read back from the processor."""

import hashlib
import hmac
import json
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from routinie.billing import processor, services
from routinie.billing.models import ProcessedEvent, Subscription
from routinie.core.errors import DomainError

TOLERANCE_SECONDS = 300
SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
}
INVOICE_EVENTS = {"invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed"}


class BadSignature(DomainError):
    status = 400


def verify(body: bytes, header: str, *, now: float | None = None) -> dict[str, Any]:
    """The event, when `header` signs `body`; BadSignature otherwise."""
    parts = [item.split("=", 1) for item in (header or "").split(",") if "=" in item]
    stamps = [value for key, value in parts if key == "t"]
    signatures = [value for key, value in parts if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise BadSignature("The Stripe-Signature header is missing or malformed.")
    if abs((now or time.time()) - int(stamps[0])) > TOLERANCE_SECONDS:
        raise BadSignature("The event is too old (over 5 minutes): refused.")
    secret = settings.STRIPE_WEBHOOK_SECRET.encode()
    expected = hmac.new(secret, stamps[0].encode() + b"." + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise BadSignature("The signature does not match: refused.")
    try:
        event = json.loads(body)
    except ValueError:
        raise BadSignature("The event is not JSON.") from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise BadSignature("The event has no id.")
    return event


def _object(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data")
    found = data.get("object") if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def apply(event: dict[str, Any]) -> bool:
    """Apply a verified event once; False when its id was applied before."""
    if ProcessedEvent.objects.filter(event_id=event["id"]).exists():
        return False
    kind, obj = str(event.get("type", "")), _object(event)
    subscription_ref = ""
    if kind in SUBSCRIPTION_EVENTS:
        subscription_ref = str(obj.get("id", ""))
    elif kind in INVOICE_EVENTS:
        subscription_ref = str(obj.get("subscription") or "")
    known = Subscription.objects.filter(customer_ref=str(obj.get("customer", ""))).exists()
    remote_sub = processor.subscription(subscription_ref) if subscription_ref and known else None
    remote_invoice = processor.invoice(str(obj["id"])) if kind in INVOICE_EVENTS and known else None
    try:
        with transaction.atomic():
            ProcessedEvent.objects.create(event_id=event["id"], type=kind[:100])
            if remote_sub is not None:
                row = services._apply_subscription(remote_sub)
                if remote_invoice is not None:
                    services._record_invoice(remote_invoice, row)
                    failed = kind == "invoice.payment_failed" and remote_invoice.status != "paid"
                    if failed and _latest(remote_sub) == remote_invoice.id:
                        services._enter_past_due(row)
                        row.save()
    except IntegrityError:  # the same event, applied by a concurrent delivery
        return False
    return True


def _latest(remote_sub: Any) -> str:
    latest = getattr(remote_sub, "latest_invoice", None)
    return str(latest if isinstance(latest, str) or latest is None else latest.id)
