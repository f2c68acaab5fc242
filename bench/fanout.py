"""The policy notice fan-out to a local SMTP sink, shared by `bench/notices.py` (accounts of
its own) and `bench/scale.py` (the population already loaded): the sink (aiosmtpd in this
process, counting messages per recipient), a new policy version, the task worker processes
(`routinie db_worker`, as `routinie serve` starts beside the web server) and one timed
delivery, until every account has its e-mail or nothing arrives for a while."""

import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiosmtpd.controller import Controller

from bench.server import free_port, rss_mb

WORKER_OPTIONS = ["--interval", "0.05", "--no-startup-delay", "--no-reload", "--worker-id"]
STALL_SECONDS = 120.0  # no new e-mail for this long: the delivery is over, whatever is missing


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
                self.per_recipient[recipient.lower()] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.per_recipient.values())

    def reset(self) -> None:
        with self.lock:
            self.per_recipient.clear()
            self.first_at = self.last_at = None


@contextmanager
def smtp_sink() -> Iterator[tuple[CountingSink, str]]:
    """A counting SMTP server on a free loopback port; (the sink, its EMAIL_URL)."""
    sink = CountingSink()
    # aiosmtpd logs every command at INFO ("mail.log"): six lines a message, half a million
    # messages at `full`, formatted in this process while it is the sink being measured.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def new_version(number: int | None = None) -> Any:
    """An announced rights-reducing version (the next number unless given), not published."""
    from django.db.models import Max
    from django.utils import timezone

    from routinie.policy.models import PolicyVersion

    if number is None:
        number = (PolicyVersion.objects.aggregate(n=Max("version"))["n"] or 0) + 1
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


def remove_version(version: Any) -> int:
    """Take a benchmark version back with its notices and its tasks' results (the state before
    it); how many notices went."""
    from django_tasks_db.models import DBTaskResult

    from routinie.policy.models import PolicyNotice
    from routinie.policy.notices import send_notice_batch

    notices = PolicyNotice.objects.filter(version=version).delete()[0]
    DBTaskResult.objects.filter(
        task_path=send_notice_batch.module_path, args_kwargs__args__0=version.pk
    ).delete()
    version.delete()
    return notices


def start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "routinie", "db_worker", *WORKER_OPTIONS, f"bench-{n}"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def stop_workers(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait()


@dataclass
class Delivery:
    queueing: float  # seconds to queue the batches (in this process)
    batches: int
    wall: float  # from the workers' start to the last e-mail (or the stall)
    sending: float  # first to last e-mail
    expected: int
    duplicates: int  # e-mails beyond the first to one recipient
    missing: int  # accounts that got none
    unexpected: int  # recipients that are not an account
    recorded: int  # PolicyNotice rows of the version
    worker_rss_mb: list[float] = field(default_factory=list)  # each worker's, after the fan-out

    @property
    def rate(self) -> float:
        delivered = self.expected - self.missing
        return delivered / self.sending if self.sending > 0 else float("nan")

    @property
    def rate_wall(self) -> float:
        return (self.expected - self.missing) / self.wall if self.wall > 0 else float("nan")


def deliver(
    *,
    version: Any,
    sink: CountingSink,
    env: dict[str, str],
    expected: set[str],
    workers: int,
    stall_seconds: float = STALL_SECONDS,
) -> Delivery:
    """Queue `version`'s notice batches (timed), start `workers` task workers with `env` (the
    sink's EMAIL_URL among it), wait until `expected` (lower-cased addresses) got as many
    e-mails or none came for `stall_seconds`, read the workers' VmRSS, stop them, count."""
    from django.db import connections

    from routinie.policy.models import PolicyNotice
    from routinie.policy.notices import queue_notice_batches

    sink.reset()
    started = time.perf_counter()
    batches = queue_notice_batches(version=version)
    queueing = time.perf_counter() - started
    connections.close_all()  # the workers get the database to themselves
    processes = start_workers(env, workers)
    started = last_change = time.perf_counter()
    seen = 0
    try:
        while (total := sink.total()) < len(expected):
            now = time.perf_counter()
            if total != seen:
                seen, last_change = total, now
            if now - last_change > stall_seconds or all(p.poll() is not None for p in processes):
                break
            time.sleep(0.05)
        wall = (sink.last_at or time.perf_counter()) - started
        time.sleep(1)  # room for a duplicate to arrive
        rss = [rss_mb(p.pid) or float("nan") for p in processes]
    finally:
        stop_workers(processes)
    with sink.lock:
        received = dict(sink.per_recipient)
    return Delivery(
        queueing=queueing,
        batches=batches,
        wall=wall,
        sending=(sink.last_at or 0) - (sink.first_at or 0),
        expected=len(expected),
        duplicates=sum(n - 1 for n in received.values()),
        missing=len(expected - received.keys()),
        unexpected=len(received.keys() - expected),
        recorded=PolicyNotice.objects.filter(version=version).count(),
        worker_rss_mb=rss,
    )
