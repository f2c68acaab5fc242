"""Billing's writes: subscribe, cancel, record an invoice (numbered without gaps), the state a
processor's subscription is in, and dunning. The processor is called outside the database's
transactions; a refusal (declined card, unknown plan) changes nothing here."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from routinie.accounts.models import User
from routinie.billing import processor
from routinie.billing.models import Invoice, Subscription
from routinie.billing.plans import CURRENCY, FREE, GRACE_DAYS, paid_plan, plan_named
from routinie.core.account_jobs import ACCOUNT_FAILURES, Failures
from routinie.core.errors import Conflict, DomainError, InvalidInput
from routinie.core.mail import send_templated_mail

PAYMENT_METHOD = re.compile(r"pm_[A-Za-z0-9_]{1,90}")
# The processor's statuses, in ours.
STATUS = {
    "active": "active",
    "trialing": "active",
    "past_due": "past_due",
    "unpaid": "past_due",
    "incomplete": "past_due",
    "canceled": "canceled",
    "incomplete_expired": "canceled",
}


def _moment(seconds: Any) -> datetime | None:
    return datetime.fromtimestamp(int(seconds), tz=UTC) if seconds else None


def _period_end(remote: Any) -> datetime | None:
    data = remote.to_dict() if hasattr(remote, "to_dict") else dict(remote)
    end = data.get("current_period_end")
    if end is None:  # newer API versions keep it on the item
        items = (data.get("items") or {}).get("data") or [{}]
        end = items[0].get("current_period_end")
    return _moment(end)


def _plan_of(remote: Any) -> str:
    data = remote.to_dict() if hasattr(remote, "to_dict") else dict(remote)
    items = (data.get("items") or {}).get("data") or [{}]
    plan = items[0].get("plan") or {}
    return str(plan.get("id") or data.get("plan", {}).get("id") or FREE.id)


def subscribe(*, user: User, plan_id: str, payment_method_id: str) -> Subscription:
    """Subscribe with a payment method the card form made at the processor."""
    plan = paid_plan(plan_id)
    if not PAYMENT_METHOD.fullmatch(payment_method_id or ""):
        raise InvalidInput.on(
            "payment_method_id", "Enter the card again: no payment method was made.", "invalid"
        )
    current = Subscription.objects.filter(user=user).first()
    if current is not None and current.status in {"active", "past_due"}:
        raise Conflict(f"You already have {plan_named(current.plan_id).name}.")
    customer = current.customer_ref if current is not None and current.customer_ref else ""
    if not customer:
        customer = processor.new_customer()
        Subscription.objects.update_or_create(user=user, defaults={"customer_ref": customer})
    remote = processor.subscribe(customer=customer, plan=plan, payment_method=payment_method_id)
    with transaction.atomic():
        subscription = _apply_subscription(remote, user=user)
        latest = getattr(remote, "latest_invoice", None)
        if latest is not None and not isinstance(latest, str):
            _record_invoice(latest, subscription)
    return subscription


def cancel(*, user: User) -> Subscription:
    """Cancel at the period's end: the plan lasts until then; nothing is deleted."""
    current = Subscription.objects.filter(user=user).first()
    if current is None or current.status not in {"active", "past_due"}:
        raise Conflict("You are on the free plan: there is nothing to cancel.")
    remote = processor.cancel_at_period_end(current.subscription_ref)
    with transaction.atomic():
        return _apply_subscription(remote, user=user)


def _apply_subscription(remote: Any, *, user: User | None = None) -> Subscription:
    """Our row as the processor's subscription now is (not as an event said it was)."""
    if user is not None:
        row, _ = Subscription.objects.select_for_update().get_or_create(user=user)
    else:
        row = Subscription.objects.select_for_update().get(customer_ref=remote.customer)
        if row.subscription_ref not in ("", remote.id) and STATUS.get(remote.status) != "active":
            return row  # an older subscription of the same person: the newer one counts
    row.customer_ref = str(remote.customer)
    row.subscription_ref = str(remote.id)
    status = STATUS.get(str(remote.status), "past_due")
    if status == "canceled":
        _to_free(row)
    else:
        row.plan_id = _plan_of(remote)
        row.current_period_end = _period_end(remote)
        row.cancel_at_period_end = bool(remote.cancel_at_period_end)
        if status == "active":
            row.past_due_since = row.dunning_mailed_at = None
            row.status = "active"
        else:
            _enter_past_due(row)
    row.save()
    return row


def _to_free(row: Subscription) -> None:
    row.plan_id, row.status, row.subscription_ref = FREE.id, "free", ""
    row.current_period_end, row.cancel_at_period_end = None, False
    row.past_due_since = row.dunning_mailed_at = None


def _enter_past_due(row: Subscription) -> None:
    """Past due: the banner from now, and one e-mail (sent after the commit)."""
    row.status = "past_due"
    row.past_due_since = row.past_due_since or timezone.now()
    if row.dunning_mailed_at is None:
        row.dunning_mailed_at = timezone.now()
        user_id, grace_ends = row.user_id, row.past_due_since + timedelta(days=GRACE_DAYS)
        transaction.on_commit(lambda: _mail_payment_failed(user_id, grace_ends))


def _mail_payment_failed(user_id: Any, grace_ends: datetime) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        send_templated_mail(
            to=user.email,
            template="billing/email/payment_failed",
            context={"user": user, "grace_ends": grace_ends, "site_url": settings.SITE_URL},
        )


def _record_invoice(remote: Any, subscription: Subscription) -> Invoice | None:
    """A paid invoice, once (by the processor's id), with the next number: no gap, because the
    number is taken in the transaction that writes the row."""
    if str(remote.status) != "paid":
        return None
    found = Invoice.objects.filter(processor_ref=remote.id).first()
    if found is not None:
        return found
    last = Invoice.objects.aggregate(last=Max("number"))["last"] or 0
    return Invoice.objects.create(
        user_id=subscription.user_id,
        number=last + 1,
        processor_ref=str(remote.id),
        plan_id=subscription.plan_id,
        amount_cents=int(remote.amount_paid),
        currency=str(remote.currency or CURRENCY),
        issued_at=_moment(remote.created) or timezone.now(),
        status="paid",
    )


# What cancelling one subscription can raise besides the processor being down: its data, or
# the processor refusing this one subscription (unknown, already gone).
CANCEL_FAILURES: tuple[type[Exception], ...] = (*ACCOUNT_FAILURES, DomainError)


def _cancelled_at_processor(reference: str) -> bool:
    try:
        return str(processor.subscription(reference).status) == "canceled"
    except processor.ProcessorUnavailable:
        return False


def end_grace_periods(now: datetime | None = None) -> int:
    """Past-due subscriptions past the grace period: canceled, back to the free plan."""
    cutoff = (now or timezone.now()) - timedelta(days=GRACE_DAYS)
    done = 0
    failed = Failures("Billing grace periods")
    for row in Subscription.objects.filter(status="past_due", past_due_since__lt=cutoff):
        if row.subscription_ref:
            try:
                processor.cancel_now(row.subscription_ref)
            except processor.ProcessorUnavailable:
                if not _cancelled_at_processor(row.subscription_ref):
                    continue  # tomorrow's run tries again
                # else: a run before this one cancelled it and died before the update below
            except CANCEL_FAILURES as error:  # this one subscription's data
                failed.add(f"subscription #{row.pk}", error)
                continue
        try:
            with transaction.atomic():
                fresh = Subscription.objects.select_for_update().get(pk=row.pk)
                _to_free(fresh)
                fresh.save()
        except ACCOUNT_FAILURES as error:
            failed.add(f"subscription #{row.pk}", error)
            continue
        done += 1
    return done
