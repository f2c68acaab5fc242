"""Releases: the figures of the anonymity layer, stored once and then only read (P04).

A public release draws its noise once and spends its epsilon in the ledger in the same
transaction that stores it; pages and the API read the stored values, so reloading a page
never draws new noise (which averaging could strip off). A staff release (k only) is made at
every computation of the key figures.

`refresh_statistics` is what the daily job and `routinie stats-refresh` run.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from routinie.stats.budget import BudgetExceeded, check_budget, lock_ledger
from routinie.stats.keyfigures import RefreshResult, refresh_key_figures
from routinie.stats.models import BudgetSpend, KeyFiguresRun, Release, ReleasedFigure
from routinie.stats.public_figures import Draft, build_public_figures
from routinie.stats.staff_figures import build_staff_figures

STAFF_RELEASES_KEPT = timedelta(days=90)


def _data_as_of() -> datetime:
    last = KeyFiguresRun.objects.order_by("-started_at").first()
    return last.started_at if last else timezone.now()


def _store(release: Release, drafts: list[Draft]) -> None:
    ReleasedFigure.objects.bulk_create(
        ReleasedFigure(
            release=release,
            name=d.name,
            position=i,
            rule=d.rule,
            epsilon=d.epsilon,
            sensitivity=d.sensitivity,
            noise_scale=d.noise_scale,
            margin=d.margin,
            values=d.values,
        )
        for i, d in enumerate(drafts)
    )


def publish_public_release(*, now: datetime | None = None) -> Release:
    """Publish the public figures now, spending STATS_EPSILON_PER_RELEASE; BudgetExceeded (and
    nothing stored) when the window's budget cannot pay for it."""
    now = now or timezone.now()
    epsilon = settings.STATS_EPSILON_PER_RELEASE
    k = settings.STATS_K
    with transaction.atomic():
        lock_ledger()
        check_budget(epsilon=epsilon, now=now)
        drafts = build_public_figures(k=k, epsilon=epsilon)
        release = Release.objects.create(
            audience=Release.Audience.PUBLIC,
            released_at=now,
            data_as_of=_data_as_of(),
            k=k,
            epsilon=epsilon,
        )
        _store(release, drafts)
        BudgetSpend.objects.create(release=release, epsilon=epsilon, spent_at=now)
    return release


def publish_staff_release(*, now: datetime | None = None) -> Release:
    """Store the staff distributions (k only, no epsilon); drop staff releases past 90 days."""
    now = now or timezone.now()
    drafts = build_staff_figures(k=settings.STATS_K)
    with transaction.atomic():
        release = Release.objects.create(
            audience=Release.Audience.STAFF,
            released_at=now,
            data_as_of=_data_as_of(),
            k=settings.STATS_K,
        )
        _store(release, drafts)
        Release.objects.filter(
            audience=Release.Audience.STAFF, released_at__lt=now - STAFF_RELEASES_KEPT
        ).delete()
    return release


def public_release_due(now: datetime) -> bool:
    """True when no public release exists or the last is STATS_RELEASE_DAYS old."""
    last = Release.objects.filter(audience=Release.Audience.PUBLIC).order_by("-released_at").first()
    return last is None or last.released_at <= now - timedelta(days=settings.STATS_RELEASE_DAYS)


@dataclass
class RefreshOutcome:
    key_figures: RefreshResult
    public_release: Release | None = None
    staff_release: Release | None = None
    refused: str = ""  # why a due public release was not made (the budget)
    notes: list[str] = field(default_factory=list)


def refresh_statistics(*, release_now: bool = False, dry_run: bool = False) -> RefreshOutcome:
    """Compute the key figures, store the staff figures, and publish the public figures when
    due (or `release_now`). A dry run computes and counts, and writes and spends nothing."""
    outcome = RefreshOutcome(refresh_key_figures(dry_run=dry_run))
    now = timezone.now()
    if dry_run:
        return outcome
    outcome.staff_release = publish_staff_release(now=now)
    if release_now or public_release_due(now):
        try:
            outcome.public_release = publish_public_release(now=now)
        except BudgetExceeded as refused:
            outcome.refused = refused.detail
    return outcome
