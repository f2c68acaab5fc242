from datetime import datetime

from ninja import Schema
from pydantic import Field

from routinie.core.schemas import Input, SafeStr


class PlanOut(Schema):
    id: str
    name: str
    price_cents: int
    currency: str
    interval: str | None
    features: list[str]


class PlanList(Schema):
    items: list[PlanOut]


class SubscriptionOut(Schema):
    plan_id: str
    status: str  # "free", "active", "past_due" or "canceled"
    current_period_end: datetime | None
    cancel_at_period_end: bool


class SubscriptionIn(Input):
    plan_id: SafeStr = Field(max_length=30)
    payment_method_id: SafeStr = Field(max_length=100)


class InvoiceOut(Schema):
    id: int
    number: str
    amount_cents: int
    currency: str
    issued_at: datetime
    status: str


class InvoiceList(Schema):
    items: list[InvoiceOut]
