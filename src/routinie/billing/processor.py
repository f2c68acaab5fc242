"""The payment processor's adapter (P19): Stripe through its official SDK, every request sent
by the outbound gateway to `PAYMENT_PROCESSOR_URL`. What the processor learns is decided here
and only here: an opaque customer (no name, e-mail, address or description), the plan and its
amount, and the payment method the card form made at the processor itself."""

from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlsplit

import stripe
from django.conf import settings

from routinie.billing.plans import CURRENCY, Plan
from routinie.core.errors import DomainError
from routinie.privacy import gateway

# Neither the server's machine description nor request metrics go to the processor.
stripe.enable_telemetry = False
DROPPED_HEADERS = {"x-stripe-client-user-agent", "x-stripe-client-telemetry"}


class PaymentDeclined(DomainError):
    """The processor refused the card (HTTP 402); `detail` says why."""

    status = 402


class ProcessorUnavailable(DomainError):
    """The processor could not be reached or answered with an error (HTTP 503)."""

    status = 503


class GatewayClient(stripe.HTTPClient):
    """The SDK's transport: the outbound gateway, which allows the processor's host alone."""

    name = "routinie-gateway"

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Mapping[str, str]]:
        kept = {k: v for k, v in (headers or {}).items() if k.lower() not in DROPPED_HEADERS}
        body = post_data.encode() if isinstance(post_data, str) else post_data
        try:
            reply = gateway.send(method.upper(), url, body, kept)
        except OSError as error:
            raise stripe.APIConnectionError(  # type: ignore[no-untyped-call]
                "The payment processor is unreachable."
            ) from error
        return reply.body, reply.status, reply.headers

    def close(self) -> None:
        return None


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.PAYMENT_PROCESSOR_URL or "https://api.stripe.com"},
        http_client=GatewayClient(),
        max_network_retries=0,
    )


def _call(action: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentDeclined(error.user_message or "The card was declined.") from None
    except (stripe.StripeError, gateway.OutboundRefused) as error:
        raise ProcessorUnavailable(
            "The payment processor did not answer; nothing was charged. Try again later."
        ) from error


def new_customer() -> str:
    """An opaque customer at the processor: nothing about the person."""
    return cast(str, _call(client().v1.customers.create, {}).id)


def ensure_plan(plan: Plan) -> None:
    """The plan at the processor (its id, amount, currency and interval), made once."""
    stripe_client = client()
    try:
        stripe_client.v1.plans.retrieve(plan.id)
    except stripe.InvalidRequestError:
        _call(
            stripe_client.v1.plans.create,
            {
                "id": plan.id,
                "amount": plan.price_cents,
                "currency": CURRENCY,
                "interval": plan.interval or "month",
                "product": {"name": f"Routinie {plan.name}"},
            },
        )
    except (stripe.StripeError, gateway.OutboundRefused) as error:
        raise ProcessorUnavailable("The payment processor did not answer.") from error


def setup_intent() -> str:
    """A SetupIntent's client secret, for the card form to make a payment method with."""
    intent = _call(client().v1.setup_intents.create, {"usage": "off_session"})
    return cast(str, intent.client_secret)


def subscribe(*, customer: str, plan: Plan, payment_method: str) -> Any:
    """Attach the card to the customer, make it the default, subscribe: the subscription."""
    stripe_client = client()
    _call(stripe_client.v1.payment_methods.attach, payment_method, {"customer": customer})
    _call(
        stripe_client.v1.customers.update,
        customer,
        {"invoice_settings": {"default_payment_method": payment_method}},
    )
    ensure_plan(plan)
    subscription = _call(
        stripe_client.v1.subscriptions.create,
        {"customer": customer, "items": [{"plan": plan.id}], "expand": ["latest_invoice"]},
    )
    if subscription.status not in {"active", "trialing"}:
        _call(stripe_client.v1.subscriptions.cancel, subscription.id)
        raise PaymentDeclined("The card was declined when charged; nothing was changed.")
    return subscription


def subscription(reference: str) -> Any:
    return _call(client().v1.subscriptions.retrieve, reference)


def invoice(reference: str) -> Any:
    return _call(client().v1.invoices.retrieve, reference)


def cancel_at_period_end(reference: str) -> Any:
    return _call(client().v1.subscriptions.update, reference, {"cancel_at_period_end": True})


def cancel_now(reference: str) -> Any:
    return _call(client().v1.subscriptions.cancel, reference)


def card_form_script() -> str:
    """Stripe.js in production, or the sandbox's stand-in for it."""
    base = settings.PAYMENT_PROCESSOR_URL or "https://api.stripe.com"
    if urlsplit(base).hostname == "api.stripe.com":
        return "https://js.stripe.com/v3/"
    return f"{base}/js.stripe.com/v3/"


def card_form_sources() -> dict[str, list[str]]:
    """The billing page's exception to the CSP: the card form's script, its frames and the
    processor's API, which the card form talks to directly (card numbers never reach us)."""
    script = urlsplit(card_form_script())
    script_origin = f"{script.scheme}://{script.netloc}"
    api = urlsplit(settings.PAYMENT_PROCESSOR_URL or "https://api.stripe.com")
    return {
        "script-src": [script_origin],
        "frame-src": [script_origin],
        "connect-src": [f"{api.scheme}://{api.netloc}"],
    }
