"""The staff's statistics (P05): distributions of the key figures, never a row per account.

For each key figure: how many accounts it covers, a histogram over fixed buckets and a few
percentiles, all through the anonymity layer: a bucket of fewer than k accounts is withheld
(with secondary suppression, see `anonymity.histogram_with_k`), and a percentile is shown only
with at least k accounts on each side of it. No noise: staff are bound by confidentiality and
see only these distributions, computed by the periodic job and stored as a staff release.

30-day figures cover the active accounts (see activity.py); totals cover every account. Hours
are whole hours (rounded down).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F
from django.db.models.functions import Floor

from routinie.stats import anonymity
from routinie.stats.activity import ACTIVE
from routinie.stats.models import KeyFigures
from routinie.stats.public_figures import HOUR, Draft

PERCENTILES = (0.25, 0.5, 0.75, 0.9)
EDGES = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


@dataclass(frozen=True)
class StaffFigure:
    field: str
    label: str
    recent: bool  # a 30-day figure: over active accounts
    per_hour: bool = False


FIGURES = (
    StaffFigure("entries_30d", "Time entries, last 30 days", True),
    StaffFigure("seconds_30d", "Hours tracked, last 30 days", True, per_hour=True),
    StaffFigure("projects_30d", "Projects used, last 30 days", True),
    StaffFigure("routines_30d", "Routines checked in, last 30 days", True),
    StaffFigure("checkins_30d", "Check-ins, last 30 days", True),
    StaffFigure("active_days_30d", "Active days, last 30 days", True),
    StaffFigure("entries_total", "Time entries, in total", False),
    StaffFigure("seconds_total", "Hours tracked, in total", False, per_hour=True),
    StaffFigure("projects_total", "Projects, in total", False),
    StaffFigure("routines_total", "Routines, in total", False),
    StaffFigure("checkins_total", "Check-ins, in total", False),
    StaffFigure("active_days_total", "Active days, in total", False),
)


def _bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low:,} or more"
    return f"{low:,}" if low == high else f"{low:,}\N{EN DASH}{high:,}"


BUCKETS = [(low, EDGES[i + 1] - 1 if i + 1 < len(EDGES) else None) for i, low in enumerate(EDGES)]


def value_counts(figure: StaffFigure) -> list[tuple[int, int]]:
    """(value, accounts) sorted by value: one GROUP BY, as many rows as distinct values."""
    rows = KeyFigures.objects.filter(ACTIVE) if figure.recent else KeyFigures.objects.all()
    value = Floor(F(figure.field) / HOUR) if figure.per_hour else F(figure.field)
    grouped = rows.annotate(v=value).values("v").annotate(n=Count("pk")).order_by("v")
    return [(int(row["v"]), row["n"]) for row in grouped]


def _histogram(pairs: list[tuple[int, int]], k: int) -> list[dict[str, Any]]:
    counts = [
        sum(n for v, n in pairs if v >= low and (high is None or v <= high))
        for low, high in BUCKETS
    ]
    shown = anonymity.histogram_with_k(counts, k=k)
    return [
        {
            "key": str(low),
            "label": _bucket_label(low, high),
            "value": value,
            "withheld": None if value is not None else "k",
        }
        for (low, high), value in zip(BUCKETS, shown, strict=True)
    ]


def _percentiles(pairs: list[tuple[int, int]], k: int) -> list[dict[str, Any]]:
    values = []
    for p in PERCENTILES:
        value = anonymity.percentile_with_k(pairs, p, k=k)
        values.append(
            {
                "key": f"p{round(p * 100)}",
                "label": "median" if p == 0.5 else f"{round(p * 100)}th percentile",
                "value": value,
                "withheld": None if value is not None else "k",
            }
        )
    return values


def _accounts(k: int) -> Draft:
    counts = KeyFigures.objects.aggregate(all=Count("pk"), active=Count("pk", filter=ACTIVE))
    values = [
        {
            "key": key,
            "label": label,
            "value": anonymity.suppress_below_k(people=counts[key], value=counts[key], k=k),
            "withheld": "k" if counts[key] < k else None,
        }
        for key, label in (("all", "Accounts"), ("active", "Active accounts"))
    ]
    return Draft("accounts", "k", values)


def build_staff_figures(*, k: int) -> list[Draft]:
    """Each key figure's distribution as two drafts: `<field>` (histogram) and
    `<field>:percentiles`; plus the number of accounts."""
    drafts = [_accounts(k)]
    for figure in FIGURES:
        pairs = value_counts(figure)
        n = sum(people for _, people in pairs)
        if n < k:
            empty = {"key": "", "label": figure.label, "value": None, "withheld": "k"}
            drafts += [Draft(figure.field, "k", [empty]), Draft(f"{figure.field}:p", "k", [])]
            continue
        drafts.append(Draft(figure.field, "k", _histogram(pairs, k)))
        drafts.append(Draft(f"{figure.field}:p", "k", _percentiles(pairs, k)))
    return drafts
