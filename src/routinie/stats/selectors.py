"""Reads for the statistics pages and API: stored releases only, never the key-figure table.

Everything a person sees comes from a `Release` the anonymity layer made (releases.py); this
module only shapes it, with the rule that protected each figure stated in words.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from routinie.stats.activity import ACTIVE_DEFINITION
from routinie.stats.anonymity import FAILURE_PROBABILITY
from routinie.stats.budget import budget_at
from routinie.stats.models import BudgetSpend, Release, ReleasedFigure
from routinie.stats.public_figures import BY_NAME, HOURS_CAP
from routinie.stats.public_figures import FIGURES as PUBLIC_FIGURES
from routinie.stats.staff_figures import FIGURES as STAFF_FIGURES

ROUNDING = (
    "rounded down to the 1-2-5 series (… 10, 20, 50, 100, 200, 500, 1,000 …) and said as “over N”"
)
TITLES = {
    "active_people": ("People actively using Routinie", "people"),
    "hours_30d": ("Hours tracked in the last 30 days", "hours"),
    "routine_kinds": ("The most common routine schedules", "people"),
    "hours_by_weekday": ("Hours tracked by weekday, last 30 days", "hours"),
    "active_days": ("Active days in the last 30 days, per active person", "people"),
}
BOUNDS = {
    "active_people": "one person changes the count by at most 1",
    "hours_30d": f"one person's hours count up to {HOURS_CAP} (more is scaled down to it)",
    "routine_kinds": "one person counts once per schedule kind they use, at most 4 in all",
    "hours_by_weekday": f"one person's hours of the 30 days count up to {HOURS_CAP} in all",
    "active_days": "one person counts in one bucket only",
}
SURE = f"{(1 - FAILURE_PROBABILITY) * 100:.4f}".rstrip("0")


def rule_text(figure: ReleasedFigure, k: int) -> str:
    """The rule that protected `figure`, in words, with its parameters."""
    parts = [f"Fewer than {k} people: not shown."]
    if figure.epsilon is not None:
        counts = BY_NAME[figure.name].kind == "count" if figure.name in BY_NAME else False
        mechanism = "discrete Laplace" if counts else "Laplace"
        parts.append(
            f"Differential privacy: {mechanism} noise from OpenDP, scale "
            f"{figure.noise_scale:,.1f}, epsilon {figure.epsilon:g} "
            f"({BOUNDS.get(figure.name, '')}); drawn once for this release."
        )
    if figure.margin is not None:
        parts.append(
            f"Then {figure.margin:,.0f} is taken off and the rest {ROUNDING}, so the statement is "
            f"true with probability at least {SURE} %."
        )
    return " ".join(parts)


@dataclass(frozen=True)
class Shown:
    name: str
    title: str
    unit: str
    rule: str
    rule_text: str
    epsilon: float | None
    sensitivity: float | None
    noise_scale: float | None
    margin: float | None
    values: list[dict[str, Any]]

    @property
    def value(self) -> Any:
        return self.values[0]["value"] if self.values else None

    @property
    def withheld(self) -> Any:
        return self.values[0]["withheld"] if self.values else "k"


def _shown(figure: ReleasedFigure, k: int, titles: dict[str, tuple[str, str]]) -> Shown:
    title, unit = titles.get(figure.name.split(":")[0], (figure.name, ""))
    return Shown(
        name=figure.name,
        title=title,
        unit=unit,
        rule=figure.rule,
        rule_text=rule_text(figure, k),
        epsilon=figure.epsilon,
        sensitivity=figure.sensitivity,
        noise_scale=figure.noise_scale,
        margin=figure.margin,
        values=list(figure.values),
    )


def _latest(audience: str) -> Release | None:
    return Release.objects.filter(audience=audience).order_by("-released_at").first()


@dataclass(frozen=True)
class Published:
    release: Release | None
    figures: dict[str, Shown]
    k: int

    @property
    def released_at(self) -> datetime | None:
        return self.release.released_at if self.release else None

    @property
    def shows_a_number(self) -> bool:
        """Whether any figure of the release, or any bar of one, passed the rules."""
        return any(v["value"] is not None for f in self.figures.values() for v in f.values)

    @property
    def next_release_at(self) -> datetime | None:
        """When the next release is due (the daily job publishes it on its first run after)."""
        if self.release is None:
            return None
        return self.release.released_at + timedelta(days=settings.STATS_RELEASE_DAYS)


def latest_public() -> Published:
    release = _latest(Release.Audience.PUBLIC)
    k = release.k if release else settings.STATS_K
    figures = list(release.figures.all()) if release else []
    return Published(release, {f.name: _shown(f, k, TITLES) for f in figures}, k)


STAFF_TITLES = {f.field: (f.label, "hours" if f.per_hour else "") for f in STAFF_FIGURES}
STAFF_TITLES["accounts"] = ("Accounts", "accounts")


def latest_staff() -> Published:
    release = _latest(Release.Audience.STAFF)
    k = release.k if release else settings.STATS_K
    figures = list(release.figures.all()) if release else []
    return Published(release, {f.name: _shown(f, k, STAFF_TITLES) for f in figures}, k)


def ledger(limit: int = 24) -> list[BudgetSpend]:
    """The latest lines of the budget ledger, newest first."""
    return list(BudgetSpend.objects.select_related("release").order_by("-spent_at")[:limit])


def budget_now() -> dict[str, Any]:
    budget = budget_at(timezone.now())
    return {
        "epsilon_per_release": settings.STATS_EPSILON_PER_RELEASE,
        "epsilon_budget": budget.total,
        "window_days": budget.days,
        "spent_in_window": round(budget.spent, 6),
        "left": round(budget.left, 6),
        "release_every_days": settings.STATS_RELEASE_DAYS,
    }


def public_order() -> list[str]:
    return [f.name for f in PUBLIC_FIGURES]


def active_definition() -> str:
    return ACTIVE_DEFINITION
