"""Slices 2 and 4: subscribing with a payment method made at the processor, a declined card
(402, nothing changes), cancelling (to the period's end, nothing deleted), and P19: every
request the platform sends to the processor, recorded, names nobody."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from routinie.billing.models import Invoice, Subscription
from routinie.billing.tests.conftest import DECLINED_CARD, GOOD_CARD, card_payment_method
from routinie.privacy import gateway

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("payment_sandbox")]
SUB = "/api/v1/me/subscription"


def test_subscribe_then_cancel_keeps_the_plan_to_the_period_end(ada, api_of):
    api = api_of(ada)
    method = card_payment_method(GOOD_CARD)
    made = api.post(SUB, {"plan_id": "plus-year", "payment_method_id": method}, "application/json")
    assert made.status_code == 201, made.content
    assert made.json()["plan_id"] == "plus-year"
    assert made.json()["status"] == "active"
    assert made.json()["current_period_end"] is not None
    invoices = api.get("/api/v1/me/invoices").json()["items"]
    assert [(i["amount_cents"], i["currency"], i["status"]) for i in invoices] == [
        (4000, "eur", "paid")
    ]
    assert invoices[0]["number"].startswith("RT-")

    cancelled = api.delete(SUB)
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["cancel_at_period_end"] is True
    assert cancelled.json()["status"] == "active"  # paid to the period's end
    assert api.get(SUB).json()["cancel_at_period_end"] is True
    assert Invoice.objects.filter(user=ada).count() == 1  # nothing deleted


def test_a_declined_card_is_402_with_the_reason_and_changes_nothing(ada, api_of):
    api = api_of(ada)
    before = api.get(SUB).json()
    method = card_payment_method(DECLINED_CARD)
    refused = api.post(
        SUB, {"plan_id": "plus-month", "payment_method_id": method}, "application/json"
    )
    assert refused.status_code == 402, refused.content
    assert "declined" in refused.json()["detail"]
    assert api.get(SUB).json() == before
    assert not Invoice.objects.filter(user=ada).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"plan_id": "free", "payment_method_id": "pm_x"}, "plan_id"),
        ({"plan_id": "gold", "payment_method_id": "pm_x"}, "plan_id"),
        ({"plan_id": "plus-month", "payment_method_id": "4242424242424242"}, "payment_method_id"),
        ({"plan_id": "plus-month"}, "payment_method_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(ada, api_of, body, field):
    reply = api_of(ada).post(SUB, body, "application/json")
    assert reply.status_code == 422, reply.content
    assert field in {e["field"] for e in reply.json()["errors"]}
    assert not Subscription.objects.filter(user=ada, status="active").exists()


def test_subscribing_twice_is_a_conflict_and_cancelling_the_free_plan_too(ada, api_of):
    api = api_of(ada)
    assert api.delete(SUB).status_code == 409
    body = {"plan_id": "plus-month", "payment_method_id": card_payment_method(GOOD_CARD)}
    assert api.post(SUB, body, "application/json").status_code == 201
    body["payment_method_id"] = card_payment_method(GOOD_CARD)
    assert api.post(SUB, body, "application/json").status_code == 409
    assert Invoice.objects.filter(user=ada).count() == 1


# The request parameters the platform may send: the customer's reference, the plan, its amount,
# the payment method the card form made, and the SDK's own plumbing.
ALLOWED_PARAMETERS = {
    "customer",
    "items[0][plan]",
    "expand[0]",
    "invoice_settings[default_payment_method]",
    "id",
    "amount",
    "currency",
    "interval",
    "product[name]",
    "usage",
    "cancel_at_period_end",
}


@pytest.mark.promise("P19")
def test_the_processor_learns_only_an_opaque_customer_the_plan_and_the_amount(
    make_user, api_of, monkeypatch
):
    person, _ = make_user(name="Ioana Vasilescu", email="ioana.vasilescu@example.test")
    recorded: list[tuple[str, str, dict[str, str], bytes]] = []
    real_send = gateway.send

    def record(method, url, body, headers, timeout=20):
        recorded.append((method, url, dict(headers), body or b""))
        return real_send(method, url, body, headers, timeout)

    monkeypatch.setattr(gateway, "send", record)
    api = api_of(person)
    method = card_payment_method(GOOD_CARD)  # the card form's requests are the browser's
    recorded.clear()
    body = {"plan_id": "plus-month", "payment_method_id": method}
    assert api.post(SUB, body, "application/json").status_code == 201
    assert api.delete(SUB).status_code == 200

    assert len(recorded) >= 5
    secrets = ["ioana", "vasilescu", "example.test", str(person.pk), "127.0.0.1:"]
    for method_name, url, headers, sent in recorded:
        path = urlsplit(url).path
        text = (path + urlsplit(url).query + json.dumps(headers) + sent.decode()).lower()
        for secret in secrets[:4]:
            assert secret not in text, (secret, method_name, url)
        assert not {"x-stripe-client-user-agent", "x-stripe-client-telemetry"} & {
            h.lower() for h in headers
        }
        params = {k for k, _ in parse_qsl(sent.decode() + "&" + urlsplit(url).query)}
        assert params <= ALLOWED_PARAMETERS, (url, params - ALLOWED_PARAMETERS)
        assert not {"email", "name", "description", "address", "phone", "metadata"} & params
