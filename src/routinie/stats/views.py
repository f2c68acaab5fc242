"""The public statistics page and the staff's statistics page: stored releases only, read from
the replica when there is one (`core/replica.py`)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from routinie.core.charts import Share, share_bars
from routinie.core.replica import tolerates_lag
from routinie.stats import selectors
from routinie.stats.charts import value_chart
from routinie.stats.public_figures import HOURS_CAP
from routinie.stats.selectors import Shown

KIND_COLORS = ("#2f6f5e", "#4f7fb3", "#b7792d", "#8a5fa8")


def _short(key: str, last: bool) -> str:
    """A bucket's lower edge, short enough for a narrow bar: 0, 5, 20, 1k, 10k+."""
    number = int(key)
    text = f"{number // 1000}k" if number >= 1000 else str(number)
    return f"{text}+" if last else text


def _phone_label(label: str) -> str:
    """A bucket's label without "days" ("22 days or more" becomes "22+"), for a phone."""
    return label.replace(" days or more", "+").replace(" days", "").replace(" day", "")


def _chart(figure: Shown | None, staff: bool = False) -> dict[str, Any] | None:
    """The figure as bars: a wide drawing, and a narrow one (bigger text) for phones."""
    if figure is None or not figure.values or all(v["value"] is None for v in figure.values):
        return None
    last = len(figure.values) - 1
    if staff:  # two charts to a row: a narrower drawing keeps the labels readable
        items = [(_short(v["key"], i == last), v["value"]) for i, v in enumerate(figure.values)]
        wide = value_chart(items, width=480, height=220, margin=(10, 6, 34, 44))
        return {
            "wide": wide,
            "narrow": value_chart(items, width=380, height=220, margin=(10, 4, 34, 40)),
        }
    items = [(v["label"], v["value"]) for v in figure.values]
    narrow = [(_phone_label(label), value) for label, value in items]
    return {
        "wide": value_chart(items),
        "narrow": value_chart(narrow, width=360, height=240, margin=(10, 4, 34, 46)),
    }


def _kinds_share(figure: Shown | None) -> Any:
    if figure is None:
        return None
    shown = sorted((v for v in figure.values if v["value"]), key=lambda v: -v["value"])
    shares = [Share(v["label"], v["value"], KIND_COLORS[i % 4]) for i, v in enumerate(shown)]
    return share_bars(shares) if shares else None


@tolerates_lag
def public_stats(request: HttpRequest) -> HttpResponse:
    published = selectors.latest_public()
    figures = published.figures
    kinds = figures.get("routine_kinds")
    context = {
        "published": published,
        "figures": figures,
        "kinds_ranked": sorted(kinds.values, key=lambda v: -(v["value"] or -1)) if kinds else [],
        "kinds_share": _kinds_share(kinds),
        "weekday_chart": _chart(figures.get("hours_by_weekday")),
        "days_chart": _chart(figures.get("active_days")),
        "budget": selectors.budget_now(),
        "ledger": selectors.ledger(),
        "active_definition": selectors.active_definition(),
        "rounding": selectors.ROUNDING,
        "hours_cap": HOURS_CAP,
    }
    return render(request, "stats/public.html", context)


@tolerates_lag
def staff_stats(request: HttpRequest) -> HttpResponse:
    """Distributions for staff; anyone else gets a 404 (the page's existence is not told)."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    published = selectors.latest_staff()
    distributions = [
        {
            "figure": figure,
            "percentiles": published.figures.get(f"{name}:p"),
            "chart": _chart(figure, staff=True),
        }
        for name, figure in published.figures.items()
        if name != "accounts" and not name.endswith(":p")
    ]
    context = {
        "published": published,
        "accounts": published.figures.get("accounts"),
        "distributions": distributions,
        "active_definition": selectors.active_definition(),
    }
    return render(request, "stats/staff.html", context)
