"""Slice 1: the plans (one table), the free subscription, the sandbox up for the tests."""

import pytest

from routinie.billing import processor
from routinie.billing.plans import PLANS

pytestmark = pytest.mark.django_db


def test_the_public_plans_are_one_free_and_paid_monthly_and_yearly(client):
    reply = client.get("/api/v1/public/plans")
    assert reply.status_code == 200
    items = reply.json()["items"]
    assert [(p["id"], p["price_cents"], p["interval"]) for p in items] == [
        (p.id, p.price_cents, p.interval) for p in PLANS
    ]
    assert items[0]["price_cents"] == 0
    assert items[0]["interval"] is None
    assert {p["interval"] for p in items[1:]} == {"month", "year"}
    assert all(p["currency"] == "eur" and p["features"] for p in items)


def test_a_new_person_is_on_the_free_plan(ada, api_of):
    reply = api_of(ada).get("/api/v1/me/subscription")
    assert reply.status_code == 200
    assert reply.json() == {
        "plan_id": "free",
        "status": "free",
        "current_period_end": None,
        "cancel_at_period_end": False,
    }


def test_the_subscription_needs_a_signed_in_person(client):
    assert client.get("/api/v1/me/subscription").status_code == 401


def test_the_sandbox_answers_on_loopback_through_the_gateway(payment_sandbox):
    assert payment_sandbox.startswith("http://127.0.0.1:")
    assert processor.new_customer().startswith("cus_")
