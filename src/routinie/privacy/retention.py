"""The retention purge (P20): one job enforces every retention of the registry that has a
deadline, records what it removed as counts only, and is safe to re-run at any moment.

Each app declares its deadlines in its own `retention.py` (`RULES`, the privacy app's are
below); `discover()` gathers them at start-up (`PrivacyConfig.ready`) in INSTALLED_APPS order,
so no app is imported here by name.

It runs daily on the task worker (`purge_daily` re-enqueues itself one day later) and by hand
with `routinie purge [--dry-run]`.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from routinie.core.account_jobs import ACCOUNT_FAILURES, Failures
from routinie.core.data_rules import RetentionRule
from routinie.core.discovery import declared
from routinie.core.periodic import queue_unless_waiting
from routinie.privacy import erasure_journal
from routinie.privacy.models import DataExport, PurgeRun

TASK_RESULTS_KEPT = timedelta(days=7)
FAILED_EXPORTS_KEPT = timedelta(days=1)
PURGE_RUNS_KEPT = timedelta(days=365)
CHUNK = 1000
# The erasure journal lives outside the database (privacy/erasure_journal.py): trimmed here too.
JOURNAL_RULE = "old erasure-journal records"


def _expired_exports(now: Any) -> QuerySet[DataExport]:
    ready = DataExport.objects.filter(expires_at__lt=now)
    failed = DataExport.objects.filter(
        status=DataExport.Status.FAILED, created_at__lt=now - FAILED_EXPORTS_KEPT
    )
    return ready | failed


def _remove_archives(exports: list[Any]) -> None:
    from routinie.privacy.export_archive import delete_archive_file

    for export in exports:
        delete_archive_file(export)


RULES: list[RetentionRule] = [
    RetentionRule("expired data exports", _expired_exports, _remove_archives),
    RetentionRule(
        "finished background tasks",
        lambda now: DBTaskResult.objects.filter(finished_at__lt=now - TASK_RESULTS_KEPT),
    ),
    RetentionRule(
        "old purge records",
        lambda now: PurgeRun.objects.filter(started_at__lt=now - PURGE_RUNS_KEPT),
    ),
]

# Every app's rules, filled by `discover()` at start-up: what `purge()` enforces, in order.
ENFORCED: list[RetentionRule] = []


def declared_rules() -> list[tuple[str, list[RetentionRule]]]:
    """(app label, its `retention.RULES`) for every installed app that declares any."""
    return declared("retention", "RULES")


def discover() -> list[RetentionRule]:
    ENFORCED[:] = [rule for _, rules in declared_rules() for rule in rules]
    return ENFORCED


# What one row can raise when it is removed: its data (the database), or its file (an
# export's archive that cannot be unlinked).
ROW_FAILURES: tuple[type[Exception], ...] = (*ACCOUNT_FAILURES, OSError)


def _remove(rows: list[Any], rule: RetentionRule, model: Any) -> None:
    if rule.before_delete is not None:
        rule.before_delete(rows)
    selected = model._default_manager.filter(pk__in=[row.pk for row in rows])
    with transaction.atomic():
        if rule.clear:
            selected.update(**dict.fromkeys(rule.clear))
        else:
            selected.delete()


def _delete_in_chunks(queryset: QuerySet[Any], rule: RetentionRule, failed: Failures) -> int:
    """Delete (or clear) what `queryset` selects, a chunk per transaction. A clearing rule's
    queryset must stop selecting a row once its fields are cleared, or this would not end.
    A chunk that fails is taken again row by row: a row that fails alone is skipped (reported
    by its rule and primary key) and the others go."""
    deleted = 0
    skipped: list[Any] = []
    while True:
        batch = list(queryset.exclude(pk__in=skipped).order_by("pk")[:CHUNK])
        if not batch:
            return deleted
        try:
            _remove(batch, rule, queryset.model)
            deleted += len(batch)
            continue
        except ROW_FAILURES:
            pass
        for row in batch:
            try:
                _remove([row], rule, queryset.model)
                deleted += 1
            except ROW_FAILURES as error:
                skipped.append(row.pk)
                failed.add(f"{rule.name} #{row.pk}", error)


def purge(*, dry_run: bool = False, failed: Failures | None = None) -> dict[str, int]:
    """Remove everything past its retention; returns (and records) counts per rule. A row
    that cannot be removed is skipped and reported (in `failed`, and the log); the rest goes."""
    now = timezone.now()
    failed = failed if failed is not None else Failures("Purge")
    run = PurgeRun.objects.create(started_at=now, dry_run=dry_run)
    counts: dict[str, int] = {}
    for rule in ENFORCED:
        expired = rule.expired(now)
        counts[rule.name] = expired.count() if dry_run else _delete_in_chunks(expired, rule, failed)
    counts[JOURNAL_RULE] = erasure_journal.trim(now, dry_run=dry_run)
    PurgeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), counts=counts)
    return counts


@task()
def purge_daily() -> dict[str, int]:
    """Run the purge, then queue the next run a day later (unless one is already queued)."""
    counts = purge()
    schedule_daily_purge(delay=timedelta(days=1))
    return counts


def schedule_daily_purge(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue the daily purge unless a run is already waiting. True when one was queued."""
    return queue_unless_waiting(purge_daily, delay=delay)
