"""Policy change notices at scale (performance.md: "policy change notice to every account").

Creates N accounts in a fresh database, queues the notice batches for a new version (timed:
the queueing time), then starts worker processes that send to a local SMTP sink (aiosmtpd, in
this process) and times the delivery until every account has its e-mail; counts duplicates.

    python -m bench.notices --accounts 20000 --workers 2 [--repeats 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.notices
"""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bench.database import Database, fresh_database
from bench.report import Row, table, write_json

RESULTS = Path(__file__).resolve().parent / "results"
WORKER_OPTIONS = ["--interval", "0.05", "--no-startup-delay", "--no-reload", "--worker-id"]
PASSWORD_HASH_OF_NOBODY = "!"  # unusable password: the accounts only receive e-mail


class CountingSink:
    """Counts messages per recipient; thread-safe; keeps no bodies."""

    def __init__(self) -> None:
        self.per_recipient: Counter[str] = Counter()
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        with self.lock:
            self.first_at = self.first_at or now
            self.last_at = now
            for recipient in envelope.rcpt_tos:
                self.per_recipient[recipient] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.per_recipient.values())

    def reset(self) -> None:
        with self.lock:
            self.per_recipient.clear()
            self.first_at = self.last_at = None


def create_accounts(count: int) -> None:
    from routinie.accounts.models import User

    chunk = 5_000
    for start in range(0, count, chunk):
        User.objects.bulk_create(
            User(name=f"Person {i}", email=f"p{i}@example.test", password=PASSWORD_HASH_OF_NOBODY)
            for i in range(start, min(start + chunk, count))
        )


def new_version(number: int) -> Any:
    from django.utils import timezone

    from routinie.policy.models import PolicyVersion

    now = timezone.now()
    return PolicyVersion.objects.create(
        version=number,
        source="Benchmark version.",
        text="Benchmark version.",
        summary="A benchmark change.",
        effective_at=now + timedelta(days=40 + number),
        reduces_rights=True,
        announced_at=now,
    )


def start_workers(db: Database, count: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "routinie", "db_worker", *WORKER_OPTIONS, f"bench-{n}"],
            env={**os.environ, **db.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def one_run(
    db: Database, sink: CountingSink, accounts: int, workers: int, number: int
) -> dict[str, float]:
    from routinie.policy.models import PolicyNotice
    from routinie.policy.notices import queue_notice_batches

    sink.reset()
    version = new_version(number)
    started = time.perf_counter()
    queue_notice_batches(version=version)
    queueing = time.perf_counter() - started
    processes = start_workers(db, workers)
    started = time.perf_counter()
    try:
        while sink.total() < accounts:
            if time.perf_counter() - started > 3600:
                raise SystemExit("notices did not finish within an hour")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        time.sleep(1)  # room for a duplicate to arrive
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait()
    sending = (sink.last_at or 0) - (sink.first_at or 0)
    return {
        "queueing": queueing,
        "wall": elapsed,
        "rate": accounts / sending if sending else float("nan"),
        "rate_wall": accounts / elapsed,
        "duplicates": sum(n - 1 for n in sink.per_recipient.values()),
        "missing": accounts - len(sink.per_recipient),
        "recorded": PolicyNotice.objects.filter(version=version).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    sink = CountingSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with fresh_database() as db:
            db.env.update(
                EMAIL_URL=f"smtp://127.0.0.1:{port}",
                POLICY_NOTICE_BATCH=str(args.batch),
                POLICY_NOTICE_SWEEP_SECONDS="3600",
            )
            db.setup_django()
            create_accounts(args.accounts)
            runs = [
                one_run(db, sink, args.accounts, args.workers, number=2 + n)
                for n in range(args.repeats)
            ]
    finally:
        controller.stop()

    scale = 500_000 / args.accounts
    scenario = f"policy notice, {args.accounts:,} accounts, {args.workers} workers"
    rows = [
        Row(scenario, "queueing time", "s", [r["queueing"] for r in runs]),
        Row(
            scenario,
            "queueing time scaled to 500,000",
            "s",
            [r["queueing"] * scale for r in runs],
            target=60,
        ),
        Row(
            scenario,
            "delivery rate (first to last e-mail)",
            "rows/s",
            [r["rate"] for r in runs],
            target=1000,
            better="higher",
        ),
        Row(
            scenario,
            "delivery rate (from workers' start)",
            "rows/s",
            [r["rate_wall"] for r in runs],
        ),
        Row(
            scenario,
            "duplicates + missing + unrecorded",
            "count",
            [r["duplicates"] + r["missing"] + (args.accounts - r["recorded"]) for r in runs],
            target=0,
            judge="worst",
        ),
    ]
    print(table(rows))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = write_json(RESULTS / f"notices-{stamp}.json", rows, {"database": db.description})
    print(f"written {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
