"""Billing's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.core.data_rules import KEY, LINK, Rule, Table, not_personal

BILLING = "billing"
INVOICE_RETENTION = (
    "ten years (Romanian accounting law); after an erasure without your name or e-mail, "
    "no longer linked to you"
)
EVENT_RETENTION = "30 days, to apply each of the processor's events once"

TABLES: list[Table] = [
    Table(
        "billing.Subscription",
        "your plan and its state at the payment processor",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "customer_ref": Rule(
                BILLING, "the anonymous customer number the payment processor knows you by"
            ),
            "subscription_ref": Rule(BILLING, "your subscription's number at the processor"),
            "plan_id": Rule(BILLING, "which plan you are on"),
            "status": Rule(BILLING, "free, active, past due or cancelled"),
            "current_period_end": Rule(BILLING, "when the period you paid ends"),
            "cancel_at_period_end": Rule(BILLING, "whether you cancelled"),
            "past_due_since": Rule(BILLING, "when a renewal failed: the grace period counts"),
            "dunning_mailed_at": Rule(BILLING, "so the failed-payment e-mail is sent once"),
            "updated_at": Rule(BILLING, "when it last changed"),
        },
    ),
    Table(
        "billing.Invoice",
        "your invoices",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "number": Rule(BILLING, "the invoice number (no gaps)", INVOICE_RETENTION),
            "processor_ref": Rule(BILLING, "the invoice at the processor", INVOICE_RETENTION),
            "plan_id": Rule(BILLING, "the plan paid for", INVOICE_RETENTION),
            "amount_cents": Rule(BILLING, "the amount", INVOICE_RETENTION),
            "currency": Rule(BILLING, "the currency", INVOICE_RETENTION),
            "issued_at": Rule(BILLING, "the date", INVOICE_RETENTION),
            "status": Rule(BILLING, "paid or not", INVOICE_RETENTION),
        },
    ),
    Table(
        "billing.ProcessedEvent",
        "the payment processor's events already applied",
        None,
        {
            "id": KEY,
            "event_id": not_personal("the processor's event id", EVENT_RETENTION),
            "type": not_personal("what happened", EVENT_RETENTION),
            "received_at": not_personal("when it arrived", EVENT_RETENTION),
        },
    ),
]
