"""The privacy-budget ledger (P04): each public release spends its epsilon, and the releases of
any `STATS_BUDGET_DAYS` days together may spend at most `STATS_EPSILON_BUDGET`.

By sequential composition a person's data in every release of a window is protected by the sum
of those releases' epsilons: that sum is what the budget caps. A release past the budget is
refused with `BudgetExceeded` and leaves nothing behind (no release, no ledger line).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Sum

from routinie.core.errors import Conflict
from routinie.stats.models import BudgetSpend

TOLERANCE = 1e-9  # float sums of epsilons such as 0.1 + 0.2


class BudgetExceeded(Conflict):
    """The release would spend more epsilon than the window has left."""


@dataclass(frozen=True)
class Budget:
    total: float
    days: int
    spent: float

    @property
    def left(self) -> float:
        return max(self.total - self.spent, 0.0)


def budget_at(now: datetime) -> Budget:
    """The budget of the window that ends at `now`, and what the ledger says was spent in it."""
    days = settings.STATS_BUDGET_DAYS
    since = now - timedelta(days=days)
    spent = BudgetSpend.objects.filter(spent_at__gt=since).aggregate(s=Sum("epsilon"))["s"]
    return Budget(total=settings.STATS_EPSILON_BUDGET, days=days, spent=float(spent or 0.0))


def lock_ledger() -> None:
    """Inside a transaction: one release at a time reads and writes the ledger. (On SQLite a
    transaction begins IMMEDIATE, see settings: it holds the write lock from its start.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {BudgetSpend._meta.db_table} IN EXCLUSIVE MODE")


def check_budget(*, epsilon: float, now: datetime) -> Budget:
    """Refuse (BudgetExceeded) unless `epsilon` fits in what the window has left."""
    budget = budget_at(now)
    if epsilon > budget.left + TOLERANCE:
        raise BudgetExceeded(
            f"This release would spend epsilon {epsilon:g}, but only {budget.left:g} of the "
            f"{budget.total:g} allowed per {budget.days} days is left "
            f"({budget.spent:g} spent). Nothing was released."
        )
    return budget
