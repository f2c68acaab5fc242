"""The public figures (P04): what each one measures, how one person's part in it is bounded,
and which rules of the anonymity layer protect it.

Each figure reads exact aggregates from the key-figure table (`Exact`: a vector of values, and
how many people each value is about), then goes through the layer: k, noise, rounding. Its
`sensitivity` is the most that adding or removing one person can change the exact vector (the
L1 distance); the tests check that bound against real data, and OpenDP checks the noise
against it. Only `build_public_figures` is used outside this module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Least

from routinie.stats import anonymity
from routinie.stats.activity import ACTIVE, KIND_BITS, KIND_LABELS, WEEKDAY_FIELDS, WEEKDAY_LABELS
from routinie.stats.models import KeyFigures

HOUR = 3600
# One person's hours count up to this many in the 30 days (more is scaled down to it): it
# bounds what one person can add to an hours figure, so the noise can hide them.
HOURS_CAP = 100
ACTIVE_DAY_BUCKETS = ((1, 1), (2, 3), (4, 7), (8, 14), (15, 21), (22, None))


@dataclass(frozen=True)
class Exact:
    keys: list[str]
    labels: list[str]
    values: list[float]
    people: list[int]  # how many people each value is about (for k)


@dataclass(frozen=True)
class PublicFigure:
    name: str
    kind: str  # "count" (discrete Laplace) or "sum" (Laplace)
    headline: bool  # said as "over N" (rounded down) rather than shown as noisy values
    sensitivity: float
    exact: Callable[[], Exact]


@dataclass
class Draft:
    """A figure ready to store: values after the layer, and the parameters of its rule."""

    name: str
    rule: str
    values: list[dict[str, Any]] = field(default_factory=list)
    epsilon: float | None = None
    sensitivity: float | None = None
    noise_scale: float | None = None
    margin: float | None = None


# --- The exact aggregates ---------------------------------------------------------------------
def _active_people() -> Exact:
    n = KeyFigures.objects.filter(ACTIVE).count()
    return Exact([""], ["People actively using Routinie"], [n], [n])


def _hours_30d() -> Exact:
    row = KeyFigures.objects.aggregate(
        seconds=Sum(Least(F("seconds_30d"), Value(HOURS_CAP * HOUR))),
        people=Count("pk", filter=Q(seconds_30d__gt=0)),
    )
    hours = (row["seconds"] or 0) / HOUR
    return Exact([""], ["Hours tracked in the last 30 days"], [hours], [row["people"]])


def _routine_kinds() -> Exact:
    """People with at least one routine in use of each schedule kind: one person counts once
    per kind, so at most len(KIND_BITS) in all."""
    bits = {f"bit_{kind}": F("routine_kinds").bitand(bit) for kind, bit in KIND_BITS.items()}
    counts = KeyFigures.objects.alias(**bits).aggregate(
        **{kind: Count("pk", filter=Q(**{f"bit_{kind}__gt": 0})) for kind in KIND_BITS}
    )
    kinds = list(KIND_BITS)
    return Exact(
        kinds,
        [KIND_LABELS[k] for k in kinds],
        [counts[k] for k in kinds],
        [counts[k] for k in kinds],
    )


def _hours_by_weekday() -> Exact:
    """Hours of the last 30 days by local weekday; a person with more than HOURS_CAP hours has
    each weekday scaled down by the same factor, so their seven values add up to HOURS_CAP."""
    week_total = sum((F(name) for name in WEEKDAY_FIELDS[1:]), F(WEEKDAY_FIELDS[0]))
    factor = Least(
        Value(1.0), Value(float(HOURS_CAP * HOUR)) / Cast(week_total, output_field=FloatField())
    )
    rows = KeyFigures.objects.alias(week_total=week_total).filter(week_total__gt=0)
    sums = rows.aggregate(
        **{f"sum_{n}": Sum(Cast(F(n), output_field=FloatField()) * factor) for n in WEEKDAY_FIELDS},
        **{f"people_{n}": Count("pk", filter=Q(**{f"{n}__gt": 0})) for n in WEEKDAY_FIELDS},
    )
    return Exact(
        list(WEEKDAY_LABELS),
        list(WEEKDAY_LABELS),
        [(sums[f"sum_{n}"] or 0.0) / HOUR for n in WEEKDAY_FIELDS],
        [sums[f"people_{n}"] for n in WEEKDAY_FIELDS],
    )


def _bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} days or more"
    return "1 day" if low == high == 1 else f"{low}\N{EN DASH}{high} days"


def _active_days() -> Exact:
    """Active people by their active days in the last 30 days: one bucket each."""
    buckets = {
        f"b{low}": Count(
            "pk",
            filter=Q(active_days_30d__gte=low) & (Q(active_days_30d__lte=high) if high else Q()),
        )
        for low, high in ACTIVE_DAY_BUCKETS
    }
    counts = KeyFigures.objects.filter(ACTIVE).aggregate(**buckets)
    values = [counts[f"b{low}"] for low, _ in ACTIVE_DAY_BUCKETS]
    return Exact(
        [str(low) for low, _ in ACTIVE_DAY_BUCKETS],
        [_bucket_label(low, high) for low, high in ACTIVE_DAY_BUCKETS],
        values,
        values,
    )


FIGURES = (
    PublicFigure("active_people", "count", True, 1, _active_people),
    PublicFigure("hours_30d", "sum", True, HOURS_CAP, _hours_30d),
    PublicFigure("routine_kinds", "count", False, len(KIND_BITS), _routine_kinds),
    PublicFigure("hours_by_weekday", "sum", False, HOURS_CAP, _hours_by_weekday),
    PublicFigure("active_days", "count", False, 1, _active_days),
)


BY_NAME = {figure.name: figure for figure in FIGURES}


def privacy_spent(name: str, noise_scale: float) -> float:
    """What OpenDP's privacy map says a figure's noise spends for its stated sensitivity."""
    figure = BY_NAME[name]
    if figure.kind == "count":
        return float(anonymity.count_mechanism(noise_scale).map(int(figure.sensitivity)))
    return float(anonymity.sum_mechanism(noise_scale).map(float(figure.sensitivity)))


# --- Through the layer --------------------------------------------------------------------------
def _noised(figure: PublicFigure, values: list[float], epsilon: float) -> anonymity.Noised:
    if figure.kind == "count":
        return anonymity.noisy_counts(
            [round(v) for v in values], epsilon=epsilon, sensitivity=int(figure.sensitivity)
        )
    return anonymity.noisy_sums(values, epsilon=epsilon, sensitivity=figure.sensitivity)


def _headline(exact: Exact, noised: anonymity.Noised, k: int) -> tuple[dict[str, Any], float]:
    margin = anonymity.lower_bound_margin(noised.scale)
    over = anonymity.coarsen(noised.values[0] - margin)
    value = anonymity.suppress_below_k(people=exact.people[0], value=over, k=k)
    withheld = "k" if exact.people[0] < k else ("noise" if value is None else None)
    return {"key": "", "label": exact.labels[0], "value": value, "withheld": withheld}, margin


def _breakdown(exact: Exact, noised: anonymity.Noised, k: int) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "value": anonymity.suppress_below_k(people=people, value=round(value), k=k),
            "withheld": "k" if people < k else None,
        }
        for key, label, people, value in zip(
            exact.keys, exact.labels, exact.people, noised.values, strict=True
        )
    ]


def through_the_layer(figure: PublicFigure, exact: Exact, *, k: int, epsilon: float) -> Draft:
    """One figure's published values: noise (drawn here, once), then k, then rounding."""
    noised = _noised(figure, exact.values, epsilon)
    draft = Draft(
        figure.name,
        "k + differential privacy" + (" + rounded down" if figure.headline else ""),
        epsilon=epsilon,
        sensitivity=figure.sensitivity,
        noise_scale=noised.scale,
    )
    if figure.headline:
        value, draft.margin = _headline(exact, noised, k)
        draft.values = [value]
    else:
        draft.values = _breakdown(exact, noised, k)
    return draft


def build_public_figures(*, k: int, epsilon: float) -> list[Draft]:
    """Every public figure, each spending an equal share of the release's `epsilon`."""
    share = epsilon / len(FIGURES)
    return [through_the_layer(f, f.exact(), k=k, epsilon=share) for f in FIGURES]
