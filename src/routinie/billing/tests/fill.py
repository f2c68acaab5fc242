"""Billing's rows for `tests.fill.fill_every_table`: a subscription (gone with an erasure)
and an invoice (kept, unlinked: its fields are not markers)."""

import uuid
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from routinie.accounts.models import User
from routinie.billing.models import Invoice, Subscription


def fill_billing(user: User, tag: str) -> list[str]:
    Subscription.objects.create(
        user=user,
        customer_ref=f"cus_fill{tag}",
        subscription_ref=f"sub_fill{tag}",
        plan_id="plus-month",
        status="active",
        current_period_end=timezone.now() + timedelta(days=20),
    )
    last = Invoice.objects.aggregate(last=Max("number"))["last"] or 0
    Invoice.objects.create(
        user=user,
        number=last + 1,
        processor_ref=f"in_{uuid.uuid4().hex}",
        plan_id="plus-month",
        amount_cents=400,
        currency="eur",
        issued_at=timezone.now(),
    )
    return [f"cus_fill{tag}", f"sub_fill{tag}"]
