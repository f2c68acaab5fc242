"""Billing's deadlines for the purge job (see privacy/retention.py): invoices ten years after
they were issued (accounting law; unlinked from an erased account meanwhile), the processor's
applied events after 30 days (the processor stops re-sending an event after three)."""

from datetime import datetime, timedelta

from django.db.models import QuerySet

from routinie.billing.models import Invoice, ProcessedEvent
from routinie.core.data_rules import RetentionRule

INVOICE_YEARS = 10


def expired_invoices(now: datetime) -> QuerySet[Invoice]:
    return Invoice.objects.filter(issued_at__lt=now - timedelta(days=365 * INVOICE_YEARS + 3))


def expired_events(now: datetime) -> QuerySet[ProcessedEvent]:
    return ProcessedEvent.objects.filter(received_at__lt=now - timedelta(days=30))


RULES: list[RetentionRule] = [
    RetentionRule("invoices past ten years", expired_invoices),
    RetentionRule("applied payment-processor events", expired_events),
]
