"""The anonymity layer (P04): the only path from personal rows to a figure anyone sees.

Small functions, each one rule:

- `suppress_below_k`: a figure (or a bucket of one) about fewer than k people is withheld. Zero
  counts as "fewer than k", so a withheld bucket does not even tell that it is not empty.
- `coarsen`: a headline count is rounded down to a bucket of the 1-2-5 series (1, 2, 5, 10,
  20, 50, 100 … 500,000, 1,000,000 …) strictly below it, and said as "over N".
- `noisy_counts` / `noisy_sums`: differential privacy from OpenDP. Each person's contribution
  is bounded first (the caller states the bound: the L1 sensitivity), then noise calibrated to
  it and to the figure's epsilon is added: the discrete Laplace mechanism on counts, the
  Laplace mechanism on sums. OpenDP's privacy map proves the noise is enough
  (`mechanism.map(sensitivity) <= epsilon`), or nothing is released.
- `lower_bound_margin`: a headline "over N" is the noisy value minus a margin the noise exceeds
  with probability at most one in a million, rounded down: it is true with that probability.
- `histogram_with_k` / `percentile_with_k`: staff distributions, k-suppressed, with secondary
  suppression so a withheld bucket cannot be recovered from the total.

The budget ledger is `budget.py`; which figures exist and how each person's contribution is
bounded is `public_figures.py` and `staff_figures.py`.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import opendp.prelude as dp

dp.enable_features("contrib")

T = TypeVar("T")
FAILURE_PROBABILITY = 1e-6  # of a headline's "over N" being false because of the noise
SMALLEST_BUCKET = 1


class PrivacyMapExceeded(Exception):
    """OpenDP says the mechanism would spend more than the figure's epsilon."""


# --- k ------------------------------------------------------------------------------------------
def suppress_below_k(*, people: int, value: T, k: int) -> T | None:
    """`value`, or None when it is about fewer than `k` people."""
    return value if people >= k else None


# --- Rounding ---------------------------------------------------------------------------------
def buckets_up_to(value: float) -> list[int]:
    """The 1-2-5 buckets from SMALLEST_BUCKET up to `value`."""
    found, magnitude = [], SMALLEST_BUCKET
    while magnitude <= value:
        found += [b for b in (magnitude, 2 * magnitude, 5 * magnitude) if b <= value]
        magnitude *= 10
    return found


def coarsen(value: float) -> int | None:
    """The largest bucket strictly below `value` ("over N"), or None below the smallest."""
    below = [b for b in buckets_up_to(value) if b < value]
    return below[-1] if below else None


def lower_bound_margin(scale: float) -> float:
    """How far below the noisy value a headline starts: the (discrete) Laplace noise of this
    scale exceeds it with probability at most FAILURE_PROBABILITY (P(Z >= t) <= e^(-t/b))."""
    return scale * math.log(1 / FAILURE_PROBABILITY)


# --- Differential privacy (OpenDP) ------------------------------------------------------------
def count_mechanism(scale: float) -> Any:
    """The discrete Laplace mechanism on a vector of counts, under the L1 distance."""
    domain = dp.vector_domain(dp.atom_domain(T=int))
    return dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=scale)


def sum_mechanism(scale: float) -> Any:
    """The Laplace mechanism on a vector of sums, under the L1 distance."""
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    return dp.m.make_laplace(domain, dp.l1_distance(T=float), scale=scale)


@dataclass(frozen=True)
class Noised:
    values: list[float]
    scale: float
    epsilon: float
    sensitivity: float


def _calibrated(make: Any, sensitivity: float, epsilon: float) -> tuple[Any, float]:
    """The mechanism with the smallest noise scale OpenDP proves enough, and that scale."""
    if epsilon <= 0 or sensitivity <= 0:
        raise ValueError("epsilon and sensitivity must be positive")
    scale = dp.binary_search_param(make, d_in=sensitivity, d_out=epsilon)
    mechanism = make(scale)
    if mechanism.map(sensitivity) > epsilon:
        raise PrivacyMapExceeded(f"the mechanism spends {mechanism.map(sensitivity)} > {epsilon}")
    return mechanism, float(scale)


def noisy_counts(counts: Sequence[int], *, epsilon: float, sensitivity: int) -> Noised:
    """Counts with discrete Laplace noise: `sensitivity` is the most one person can change the
    whole vector (L1). Negative results become 0 (post-processing costs no privacy)."""
    mechanism, scale = _calibrated(count_mechanism, int(sensitivity), epsilon)
    noisy = mechanism([int(c) for c in counts]) if counts else []
    return Noised([max(int(v), 0) for v in noisy], scale, epsilon, sensitivity)


def noisy_sums(sums: Sequence[float], *, epsilon: float, sensitivity: float) -> Noised:
    """Sums with Laplace noise; `sensitivity` bounds one person's L1 contribution to them."""
    mechanism, scale = _calibrated(sum_mechanism, float(sensitivity), epsilon)
    noisy = mechanism([float(s) for s in sums]) if sums else []
    return Noised([max(float(v), 0.0) for v in noisy], scale, epsilon, sensitivity)


# --- Staff distributions ----------------------------------------------------------------------
def histogram_with_k(counts: Sequence[int], *, k: int) -> list[int | None]:
    """Bucket counts with every bucket under k withheld (None), then the smallest shown ones
    too until the withheld buckets together hold none or at least k people: otherwise the
    total minus the shown buckets would give away a group of fewer than k."""
    shown: list[int | None] = [suppress_below_k(people=c, value=c, k=k) for c in counts]
    while True:
        hidden = sum(c for c, s in zip(counts, shown, strict=True) if s is None)
        visible = [i for i, s in enumerate(shown) if s is not None]
        if hidden == 0 or hidden >= k or not visible:
            return shown
        shown[min(visible, key=lambda i: counts[i])] = None


def percentile_with_k(value_counts: Sequence[tuple[int, int]], p: float, *, k: int) -> int | None:
    """The p-th percentile (0 < p < 1) of values given as sorted (value, people) pairs: the
    value of rank ceil(p·n). Shown only when at least k people lie at or below that rank and
    at least k at or above it, so it is never one of a few people's own values."""
    n = sum(people for _, people in value_counts)
    rank = max(math.ceil(p * n), 1)
    if rank < k or n - rank + 1 < k:
        return None
    seen = 0
    for value, people in value_counts:
        seen += people
        if seen >= rank:
            return value
    return None
