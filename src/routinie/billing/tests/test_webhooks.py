"""Slice 3: the processor's webhooks. Stripe's signature scheme (unsigned, wrongly signed or
stale events are 400 and change nothing), each event id applied once, and events in any order
leaving the state the processor is in; invoices numbered without gaps."""

import time

import pytest

from routinie.billing.models import Invoice, ProcessedEvent, Subscription
from routinie.billing.tests.conftest import GOOD_CARD, card_payment_method, event, signed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("payment_sandbox")]


@pytest.fixture
def subscribed(ada, api_of):
    body = {"plan_id": "plus-month", "payment_method_id": card_payment_method(GOOD_CARD)}
    assert api_of(ada).post("/api/v1/me/subscription", body, "application/json").status_code == 201
    return Subscription.objects.get(user=ada)


def _state(row):
    row.refresh_from_db()
    return (row.plan_id, row.status, row.cancel_at_period_end)


@pytest.mark.promise("P19")
@pytest.mark.parametrize(
    "signature",
    [
        "",  # no header
        "t=abc,v1=00",  # malformed
        "wrong-secret",
        "stale",
    ],
)
def test_a_forged_or_stale_event_is_refused_and_changes_nothing(deliver, subscribed, signature):
    body = event(
        "evt_forged",
        "customer.subscription.deleted",
        {"id": subscribed.subscription_ref, "customer": subscribed.customer_ref},
    )
    header = {
        "": "",
        "t=abc,v1=00": "t=abc,v1=00",
        "wrong-secret": signed(body, secret="whsec_not_ours"),
        "stale": signed(body, at=int(time.time()) - 301),
    }[signature]
    before = _state(subscribed)
    reply = deliver(body, header)
    assert reply.status_code == 400, reply.content
    assert reply.json()["detail"]
    assert _state(subscribed) == before
    assert not ProcessedEvent.objects.exists()


def test_a_signed_event_is_applied_once(deliver, subscribed):
    body = event(
        "evt_once",
        "customer.subscription.updated",
        {"id": subscribed.subscription_ref, "customer": subscribed.customer_ref},
    )
    first = deliver(body)
    assert first.status_code == 200, first.content
    assert first.json() == {"applied": True}
    again = deliver(body)
    assert again.status_code == 200
    assert again.json() == {"applied": False}
    assert ProcessedEvent.objects.filter(event_id="evt_once").count() == 1


def test_events_in_any_order_leave_the_processors_state(deliver, subscribed, ada, api_of):
    """The subscription was cancelled at the period's end; the events arrive newest first and
    the invoice's event twice: the final state is the processor's, the invoice is counted once."""
    assert api_of(ada).delete("/api/v1/me/subscription").status_code == 200
    invoice = Invoice.objects.get(user=ada)
    ref = {"id": subscribed.subscription_ref, "customer": subscribed.customer_ref}
    paid = {
        "id": invoice.processor_ref,
        "customer": subscribed.customer_ref,
        "subscription": subscribed.subscription_ref,
    }
    for event_id, kind, obj in [
        ("evt_3", "customer.subscription.updated", ref),
        ("evt_2", "invoice.paid", paid),
        ("evt_1", "customer.subscription.created", ref),
        ("evt_2b", "invoice.payment_succeeded", paid),
    ]:
        assert deliver(event(event_id, kind, obj)).status_code == 200
    assert _state(subscribed) == ("plus-month", "active", True)
    assert list(Invoice.objects.values_list("number", flat=True)) == [invoice.number]


def test_invoice_numbers_have_no_gaps(make_user, api_of):
    for name in ("Ana", "Bob", "Cora"):
        person, _ = make_user(name=name, email=f"{name.lower()}@example.test")
        body = {"plan_id": "plus-month", "payment_method_id": card_payment_method(GOOD_CARD)}
        api_of(person).post("/api/v1/me/subscription", body, "application/json")
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 3


def test_an_event_for_someone_unknown_is_acknowledged_and_changes_nothing(deliver):
    body = event(
        "evt_stranger", "customer.subscription.deleted", {"id": "sub_x", "customer": "cus_x"}
    )
    assert deliver(body).status_code == 200
    assert not Subscription.objects.exists()


def test_a_signed_body_that_is_not_an_event_is_400(deliver):
    assert deliver(b"[1, 2]").status_code == 400
    assert deliver(b"not json").status_code == 400
