"""The scale scenarios of ../shared/design/performance.md, run by `make bench` (bench/run.py,
after the in-process scenarios and the load; `--skip-scale` leaves them out) against the
population already loaded in the benchmark database, whatever its size (quick, small, full):

1. the policy change notice to every account: a new version's batches queued (timed), then
   task worker processes send them to a local SMTP sink; the delivery rate, and every account
   exactly once (counted per recipient); the version, its notices and its tasks' results are
   removed afterwards;
2. the task worker's memory after that fan-out (VmRSS, as one web worker's after the load);
3. the key figures of every account (`routinie stats-refresh`'s computation) in a fresh
   process: time and extra peak memory; the rows are removed afterwards when there were none;
4. the purge with 10 % past retention: rows of every retention seeded for the population
   (bench/retention_seed.py), `purge()` (what `routinie purge` runs) timed, what it removed
   checked rule by rule against what was past its period, and the rest of the seeded rows
   removed;
5. the heavy user's erasure through `erase_account` (the password checked, as "delete my
   account" does): time and the rows removed. It destroys the heavy user: it runs last.

Each scenario leaves the database as it found it (but for the purge's own record and the
heavy user), so the order of 1-4 does not matter and a loaded database can be measured again.
"""

import time
from typing import Any

from bench.database import Database
from bench.fanout import deliver, new_version, remove_version, smtp_sink
from bench.memory import measured
from bench.report import Row
from bench.retention_seed import seed
from bench.scenarios import log
from bench.stats import refresh_memory_in_fresh_process

NOTICE_WORKERS = 2  # task worker processes: one per core of this machine
QUEUEING_TARGET = 60.0
DELIVERY_RATE_TARGET = 1000.0
KEY_FIGURES_TARGET = 180.0
KEY_FIGURES_MEMORY_TARGET_MB = 500.0
PURGE_TARGET = 60.0
ERASURE_TARGET = 2.0
TASK_WORKER_RSS_TARGET_MB = 120.0  # as a web worker's (performance.md: "one worker process")


def scale_rows(db: Database, heavy_user_id: Any, workers: int = NOTICE_WORKERS) -> list[Row]:
    log("scale: policy notice to every account")
    rows = notice_rows(db.env, workers)
    log("scale: key figures for every account")
    rows += key_figure_rows()
    log("scale: the purge with 10 % past retention")
    rows += purge_rows()
    if heavy_user_id is not None:
        log("scale: the heavy user's erasure")
        rows += erasure_rows(heavy_user_id)
    return rows


def _accounts() -> int:
    from routinie.accounts.models import User

    return User.objects.count()


def _addresses() -> set[str]:
    from routinie.accounts.models import User

    emails = User.objects.values_list("email", flat=True).iterator(chunk_size=10_000)
    return {email.lower() for email in emails}


def notice_rows(env: dict[str, str], workers: int) -> list[Row]:
    """The fan-out to every account, and the task workers' memory after it."""
    expected = _addresses()
    with smtp_sink() as (sink, email_url):
        version = new_version()
        try:
            done = deliver(
                version=version,
                sink=sink,
                env={**env, "EMAIL_URL": email_url, "POLICY_NOTICE_SWEEP_SECONDS": "3600"},
                expected=expected,
                workers=workers,
            )
        finally:
            remove_version(version)
    accounts = done.expected
    log(
        f"  {accounts:,} accounts: queued {done.batches} batches in {done.queueing:.2f} s, "
        f"{done.rate:.0f} e-mails/s, {done.missing} missing, {done.duplicates} duplicates"
    )
    name = f"policy notice to every account ({accounts:,}), {workers} task workers"
    queueing = Row(name, "queueing time", "s", [done.queueing], QUEUEING_TARGET)
    queueing.details = {"batches": done.batches, "accounts": accounts}
    rows = [queueing]
    rate = Row(name, "delivery rate (first to last e-mail)", "e-mails/s", [done.rate])
    rate.target, rate.better = DELIVERY_RATE_TARGET, "higher"
    rows += [
        rate,
        Row(name, "delivery rate (from the workers' start)", "e-mails/s", [done.rate_wall]),
        Row(name, "accounts without their e-mail", "count", [done.missing], 0, judge="worst"),
        Row(name, "e-mails beyond one per account", "count", [done.duplicates], 0, judge="worst"),
        Row(name, "e-mails to no account", "count", [done.unexpected], 0, judge="worst"),
        Row(
            name,
            "accounts whose notice is not recorded",
            "count",
            [accounts - done.recorded],
            0,
            judge="worst",
        ),
    ]
    memory = Row(
        "one task worker",
        "VmRSS after the notice fan-out",
        "MB",
        [max(done.worker_rss_mb)],
        TASK_WORKER_RSS_TARGET_MB,
    )
    memory.details = {"each_worker_mb": done.worker_rss_mb, "how": "VmRSS before SIGTERM"}
    return [*rows, memory]


def key_figure_rows() -> list[Row]:
    """A full computation (`refresh_key_figures`, every row new) in a fresh process."""
    from routinie.stats.models import KeyFigures, KeyFiguresRun

    had_figures = KeyFigures.objects.exists()
    runs_before = set(KeyFiguresRun.objects.values_list("pk", flat=True))
    peak = refresh_memory_in_fresh_process()
    if not had_figures:  # as before: the next run computes every row again
        KeyFigures.objects.all().delete()
        KeyFiguresRun.objects.exclude(pk__in=runs_before).delete()
    log(f"  {peak['accounts']:,} accounts: {peak['seconds']:.1f} s, +{peak['extra_mb']:.1f} MB")
    name = f"key figures for every account ({int(peak['accounts']):,})"
    state = "rows already there" if had_figures else "every row written"
    time_row = Row(name, f"time, fresh process ({state})", "s", [peak["seconds"]])
    time_row.target = KEY_FIGURES_TARGET
    memory = Row(name, "extra peak memory, fresh process", "MB", [peak["extra_mb"]])
    memory.target, memory.details = KEY_FIGURES_MEMORY_TARGET_MB, peak
    return [time_row, memory]


def purge_rows() -> list[Row]:
    """Seed 10 % past retention for every rule, time the purge, check what it removed."""
    from django.utils import timezone

    from routinie.core.account_jobs import Failures
    from routinie.privacy import erasure_journal
    from routinie.privacy.retention import ENFORCED, JOURNAL_RULE, purge

    accounts, now = _accounts(), timezone.now()
    expected = {rule.name: rule.expired(now).count() for rule in ENFORCED}  # already past
    expected[JOURNAL_RULE] = erasure_journal.trim(now, dry_run=True)
    began = time.perf_counter()
    seeded = seed(now, accounts)
    seeding = time.perf_counter() - began
    for s in seeded:
        expected[s.rule] += s.past
    failed = Failures("Purge")
    counts, seconds, _ = measured(lambda: purge(failed=failed))
    wrong = {
        name: counts.get(name, 0) - expected.get(name, 0)
        for name in {*counts, *expected}
        if counts.get(name, 0) != expected.get(name, 0)
    }
    lost = {s.what: s.rows - s.past - s.kept() for s in seeded if s.kept() != s.rows - s.past}
    for s in seeded:
        s.cleanup()
    removed = sum(counts.values())
    log(f"  seeded {sum(s.rows for s in seeded):,} rows in {seeding:.1f} s; purge {seconds:.2f} s")
    name = f"purge, 10 % past retention ({accounts:,} accounts)"
    seeded_row = Row(name, "rows seeded", "count", [sum(s.rows for s in seeded)])
    seeded_row.details = {s.what: {"rows": s.rows, "past": s.past} for s in seeded}
    removed_row = Row(name, "rows removed or cleared", "count", [removed])
    removed_row.details = {"counts": counts, "expected": expected}
    mismatch = Row(
        name, "removed - past retention, off by", "count", [sum(map(abs, wrong.values()))]
    )
    mismatch.target, mismatch.judge, mismatch.details = 0, "worst", {"by_rule": wrong}
    lost_row = Row(name, "rows within retention lost", "count", [sum(map(abs, lost.values()))])
    lost_row.target, lost_row.judge, lost_row.details = 0, "worst", {"by_table": lost}
    return [
        Row(name, "seeding (COPY / executemany)", "s", [seeding]),
        seeded_row,
        Row(name, "time (purge())", "s", [seconds], PURGE_TARGET),
        removed_row,
        mismatch,
        lost_row,
        Row(name, "rows that failed", "count", [len(failed.ids)], 0, judge="worst"),
    ]


def _owned_rows(user_id: Any) -> dict[str, int]:
    from routinie.privacy.erasure import owned_tables

    return {
        model._meta.label: model._default_manager.filter(**{owner: user_id}).count()
        for model, owner in owned_tables()
    }


def erasure_rows(heavy_user_id: Any) -> list[Row]:
    """The heavy user's erasure through `erase_account` (their password checked)."""
    from bench.generate import PASSWORD
    from routinie.accounts.models import User
    from routinie.privacy.erasure import erase_account

    user = User.objects.get(pk=heavy_user_id)
    before = _owned_rows(heavy_user_id)
    _, seconds, _ = measured(lambda: erase_account(user=user, password=PASSWORD))
    left = sum(_owned_rows(heavy_user_id).values())
    log(f"  {sum(before.values()):,} rows in {seconds:.2f} s, {left} left")
    name = "heavy user: erasure (erase_account)"
    removed = Row(name, "rows removed", "count", [sum(before.values()) - left])
    removed.details = {"by_table": {k: v for k, v in before.items() if v}}
    return [
        Row(name, "time", "s", [seconds], ERASURE_TARGET),
        removed,
        Row(name, "rows left", "count", [left], 0, judge="worst"),
    ]
