"""Billing's test helpers: a payment method made at the sandbox as the card form makes it, a
signed webhook delivery, and an API client."""

import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.billing import processor

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


def _sandbox(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(settings.PAYMENT_PROCESSOR_URL)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        return {"status": reply.status, **json.loads(reply.read() or b"{}")}
    finally:
        connection.close()


def card_payment_method(number: str) -> str:
    """A payment method made at the processor: through a SetupIntent, as the card form's
    `confirmCardSetup` does; a card refused there is made directly (the API's other way)."""
    secret = processor.setup_intent()
    intent = secret.split("_secret_")[0]
    card = {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}
    body = {"key": settings.STRIPE_PUBLISHABLE_KEY, "client_secret": secret}
    body["payment_method_data"] = {"type": "card", "card": card}  # type: ignore[assignment]
    confirmed = _sandbox(
        "POST", f"/v1/setup_intents/{intent}/confirm", json.dumps(body).encode(), {}
    )
    if confirmed["status"] == 200:
        return str(confirmed["payment_method"])
    form = urlencode({"type": "card", **{f"card[{k}]": v for k, v in card.items()}})
    made = _sandbox(
        "POST",
        "/v1/payment_methods",
        form.encode(),
        {
            "Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return str(made["id"])


def signed(body: bytes, *, at: int | None = None, secret: str | None = None) -> str:
    stamp = at if at is not None else int(time.time())
    key = (secret or settings.STRIPE_WEBHOOK_SECRET).encode()
    digest = hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event(event_id: str, kind: str, obj: dict[str, Any]) -> bytes:
    return json.dumps({"id": event_id, "type": kind, "data": {"object": obj}}).encode()


@pytest.fixture
def deliver() -> Callable[..., Any]:
    def post(body: bytes, signature: str | None = None) -> Any:
        headers = {} if signature == "" else {"HTTP_STRIPE_SIGNATURE": signature or signed(body)}
        return Client().post("/api/v1/billing/webhook", body, "application/json", **headers)

    return post


@pytest.fixture
def api_of() -> Callable[[Any], Client]:
    def client(user: Any) -> Client:
        _, secret = create_api_token(user=user, label="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return client
