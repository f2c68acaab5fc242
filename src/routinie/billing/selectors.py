"""Billing's reads: a person's subscription (free until they pay) and their invoices."""

from django.db.models import QuerySet

from routinie.accounts.models import User
from routinie.billing.models import Invoice, Subscription


def subscription_of(user: User) -> Subscription:
    """The person's subscription row, or an unsaved free one."""
    found = Subscription.objects.filter(user=user).first()
    return found if found is not None else Subscription(user=user)


def invoices_of(user: User) -> QuerySet[Invoice]:
    return Invoice.objects.filter(user=user).order_by("-number")
