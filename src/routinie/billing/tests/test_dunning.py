"""Slice 5: a failed renewal. Past due with one e-mail and a banner; paid again, active; past
the grace period, back to the free plan with every entry kept. The processor's answers are
stood in for here (the sandbox does not renew), the webhook path is the real one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from routinie.billing import processor, services
from routinie.billing.models import Subscription
from routinie.billing.plans import GRACE_DAYS
from routinie.billing.tests.conftest import event
from routinie.tracking.entries.services import create_entry
from routinie.tracking.models import TimeEntry

pytestmark = pytest.mark.django_db


class Remote(dict):
    """A processor object as the SDK gives it: attributes and `to_dict()`."""

    __getattr__ = dict.__getitem__

    def to_dict(self):
        return dict(self)


@pytest.fixture
def renewal(ada, monkeypatch):
    Subscription.objects.create(
        user=ada,
        customer_ref="cus_dun",
        subscription_ref="sub_dun",
        plan_id="plus-month",
        status="active",
        current_period_end=timezone.now(),
    )
    state = {"sub": "past_due", "invoice": "open"}
    period_end = int((timezone.now() + timedelta(days=30)).timestamp())
    monkeypatch.setattr(
        processor,
        "subscription",
        lambda ref: Remote(
            id=ref,
            customer="cus_dun",
            status=state["sub"],
            cancel_at_period_end=False,
            current_period_end=period_end,
            latest_invoice="in_dun",
            items={"data": [{"plan": {"id": "plus-month"}}]},
        ),
    )
    monkeypatch.setattr(
        processor,
        "invoice",
        lambda ref: Remote(
            id=ref, status=state["invoice"], amount_paid=400, currency="eur", created=period_end
        ),
    )
    cancelled = []
    monkeypatch.setattr(processor, "cancel_now", cancelled.append)
    state["cancelled"] = cancelled
    return state


FAILED = {"id": "in_dun", "customer": "cus_dun", "subscription": "sub_dun"}


def test_a_failed_renewal_mails_once_shows_a_banner_and_recovers(
    ada, renewal, deliver, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(event("evt_f1", "invoice.payment_failed", FAILED)).status_code == 200
        assert deliver(event("evt_f2", "invoice.payment_failed", FAILED)).status_code == 200
    row = Subscription.objects.get(user=ada)
    assert row.status == "past_due"
    mails = smtp_sink.wait_for(1)
    assert len(smtp_sink.to(ada.email)) == 1
    assert "did not go through" in mails[0]["Subject"]
    page = Client()
    page.force_login(ada)
    assert 'id="past-due"' in page.get("/account/billing/").content.decode()

    renewal.update(sub="active", invoice="paid")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(event("evt_p", "invoice.paid", FAILED)).status_code == 200
    row.refresh_from_db()
    assert (row.status, row.past_due_since, row.dunning_mailed_at) == ("active", None, None)
    assert len(smtp_sink.received) == 1


def test_after_the_grace_period_the_free_plan_and_every_entry_kept(
    ada, renewal, deliver, django_capture_on_commit_callbacks
):
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    create_entry(user=ada, start=start, end=start + timedelta(hours=1), description="kept")
    with django_capture_on_commit_callbacks(execute=False):
        deliver(event("evt_f", "invoice.payment_failed", FAILED))
    assert services.end_grace_periods(now=timezone.now() + timedelta(days=GRACE_DAYS - 1)) == 0
    assert Subscription.objects.get(user=ada).status == "past_due"
    assert services.end_grace_periods(now=timezone.now() + timedelta(days=GRACE_DAYS + 1)) == 1
    row = Subscription.objects.get(user=ada)
    assert (row.plan_id, row.status) == ("free", "free")
    assert renewal["cancelled"] == ["sub_dun"]
    assert TimeEntry.objects.filter(user=ada, description="kept").count() == 1


def test_a_run_again_after_the_processor_cancelled_still_downgrades(
    ada, renewal, deliver, django_capture_on_commit_callbacks, monkeypatch
):
    """The job's worker died after the processor cancelled, before the local update: the
    processor now refuses to cancel again, and the run again still moves to the free plan."""
    with django_capture_on_commit_callbacks(execute=False):
        deliver(event("evt_g", "invoice.payment_failed", FAILED))
    renewal["sub"] = "canceled"

    def refuse(reference: str) -> None:
        raise processor.ProcessorUnavailable("already cancelled")

    monkeypatch.setattr(processor, "cancel_now", refuse)
    assert services.end_grace_periods(now=timezone.now() + timedelta(days=GRACE_DAYS + 1)) == 1
    assert Subscription.objects.get(user=ada).status == "free"
