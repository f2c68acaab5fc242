"""The stats app's API: `GET /api/v1/public/stats`, anonymous aggregates only, each with the
rule that made it (k, rounding, epsilon). It reads the latest public release, like the page."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from routinie.core.replica import tolerates_lag
from routinie.stats import selectors

router = Router(tags=["stats"])


class ValueOut(Schema):
    key: str
    label: str
    value: float | None
    withheld: str | None


class FigureOut(Schema):
    name: str
    title: str
    unit: str
    rule: str
    rule_text: str
    epsilon: float | None
    sensitivity: float | None
    noise_scale: float | None
    margin: float | None
    values: list[ValueOut]


class BudgetOut(Schema):
    epsilon_per_release: float
    epsilon_budget: float
    window_days: int
    spent_in_window: float
    left: float
    release_every_days: int


class LedgerLineOut(Schema):
    released_at: datetime
    epsilon: float


class StatsOut(Schema):
    released_at: datetime | None
    data_as_of: datetime | None
    active_definition: str
    k: int
    epsilon: float | None
    rounding: str
    budget: BudgetOut
    figures: list[FigureOut]
    ledger: list[LedgerLineOut]


@router.get("/stats", auth=None, response=StatsOut)
@tolerates_lag
def public_stats(request: HttpRequest) -> dict[str, object]:
    published = selectors.latest_public()
    release = published.release
    return {
        "released_at": release.released_at if release else None,
        "data_as_of": release.data_as_of if release else None,
        "active_definition": selectors.active_definition(),
        "k": published.k,
        "epsilon": release.epsilon if release else None,
        "rounding": selectors.ROUNDING,
        "budget": selectors.budget_now(),
        "figures": [published.figures[name] for name in published.figures],
        "ledger": [
            {"released_at": line.spent_at, "epsilon": line.epsilon} for line in selectors.ledger()
        ],
    }
