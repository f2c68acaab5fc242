"""The daily statistics job (P04, P05): compute the key figures, store the staff figures and,
when due, publish the public figures; then queue the next run a day later.

`routinie serve` queues the first run (`schedule_daily_stats_refresh`); `routinie
stats-refresh` does the same work by hand."""

import logging
from datetime import timedelta
from typing import Any

from django_tasks import task

from routinie.core.periodic import queue_unless_waiting
from routinie.stats.releases import refresh_statistics

log = logging.getLogger(__name__)


@task()
def refresh_stats_daily() -> dict[str, Any]:
    """One refresh (safe to run twice: the figures are recomputed, a release is made only when
    due and paid for), then the next run is queued."""
    outcome = refresh_statistics()
    if outcome.refused:
        log.warning("statistics: public release refused: %s", outcome.refused)
    if outcome.key_figures.failed:
        log.warning("statistics: %s", outcome.key_figures.failed.summary())
    schedule_daily_stats_refresh(delay=timedelta(days=1))
    return {
        "accounts": outcome.key_figures.accounts,
        "written": outcome.key_figures.written,
        "public_release": outcome.public_release is not None,
        "refused": bool(outcome.refused),
        "failed": len(outcome.key_figures.failed.ids),
    }


def schedule_daily_stats_refresh(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue the daily refresh unless a run is already waiting. True when one was queued."""
    return queue_unless_waiting(refresh_stats_daily, delay=delay)
