"""The plans, in one place: what each costs and offers. Views, the API, the processor adapter
and the docs read this table; no other module knows a price or a feature.

A limit only ever stops something new: a downgrade hides and deletes nothing
(docs/features.md, "Plans")."""

from dataclasses import dataclass

from routinie.core.errors import InvalidInput

CURRENCY = "eur"
# A failed renewal keeps the paid plan this long while the processor retries; then the free plan.
GRACE_DAYS = 14


def money(cents: int) -> str:
    """An amount as people read it: €4.00."""
    return f"€{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    price_cents: int
    interval: str | None  # "month", "year", or None for the free plan
    features: tuple[str, ...]

    @property
    def paid(self) -> bool:
        return self.price_cents > 0

    @property
    def price_text(self) -> str:
        if not self.paid:
            return "€0, for good"
        return f"{money(self.price_cents)} a {self.interval}"


FREE_FEATURES = (
    "Unlimited time entries, projects and tags",
    "Unlimited routines, check-ins and streaks",
    "Reports, charts and the export of all your data",
    "Import from Toggl Track and Clockify",
    "The API and your own tokens",
)
PAID_FEATURES = (
    "Everything in Free",
    "Keeps Routinie independent: no ads, no investors, no selling of data",
    "Receipts on this page, numbered invoices in your export",
)

PLANS: tuple[Plan, ...] = (
    Plan("free", "Free", 0, None, FREE_FEATURES),
    Plan("plus-month", "Plus, monthly", 400, "month", PAID_FEATURES),
    Plan("plus-year", "Plus, yearly", 4000, "year", (*PAID_FEATURES, "Two months free")),
)
FREE = PLANS[0]


def plan_named(plan_id: str) -> Plan:
    for plan in PLANS:
        if plan.id == plan_id:
            return plan
    return FREE


def paid_plan(plan_id: str) -> Plan:
    """The paid plan `plan_id`, or a clear refusal."""
    for plan in PLANS:
        if plan.id == plan_id and plan.paid:
            return plan
    names = ", ".join(p.id for p in PLANS if p.paid)
    raise InvalidInput.on("plan_id", f"Choose one of the paid plans: {names}.", "unknown_plan")
