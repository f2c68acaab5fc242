"""Billing's tables: each person's plan and the processor's references to it, the invoices
(numbered without gaps, kept unlinked after an erasure) and the processor's events applied."""

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """A person's plan. The processor knows the customer only by `customer_ref`."""

    STATUSES = ("free", "active", "past_due", "canceled")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    customer_ref = models.CharField(max_length=100, blank=True)
    subscription_ref = models.CharField(max_length=100, blank=True)
    plan_id = models.CharField(max_length=30, default="free")
    status = models.CharField(max_length=10, default="free")
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True)
    dunning_mailed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=("free", "active", "past_due", "canceled")),
                name="billing_subscription_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} ({self.status})"


class Invoice(models.Model):
    """What accounting law keeps ten years: number, date, amount, plan. After an erasure the
    row stays with `user` empty (SET_NULL): nothing in it names the person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
    )
    number = models.PositiveIntegerField(unique=True)
    processor_ref = models.CharField(max_length=100, unique=True)
    plan_id = models.CharField(max_length=30)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField()
    status = models.CharField(max_length=10, default="paid")

    class Meta:
        ordering = ("-number",)

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"RT-{self.number:06d}"


class ProcessedEvent(models.Model):
    """A processor event already applied: the same id again changes nothing."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
