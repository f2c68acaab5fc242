"""Two app servers sharing one PostgreSQL database and one Redis (issue 16), black-box: two
`routinie serve` processes (what `make run` starts: gunicorn and its supervised task worker), on
two ports, as two machines behind a load balancer would run them. Seen from outside, over HTTP
and at a real SMTP server:

1. a session made on one server works on the other, and signing out on the other ends it;
2. the sign-in rate limit is one limit: wrong passwords spread over both servers meet it at the
   same total as on one server, and both answer 429 past it;
3. many queued e-mail tasks each run exactly once (one e-mail per recipient, one claim per task
   row), and both servers' task workers ran some;
4. a policy notice fan-out to a few thousand accounts, split over both workers, sends each
   account exactly one e-mail, and both workers sent some.

It runs in the PostgreSQL leg of `.ci/run` (DATABASE_URL and REDIS_URL set): the servers get a
scratch database on DATABASE_URL's server, made and dropped here, and the leg's Redis (the rate
limit keys are keyed hashes under this run's own SECRET_KEY, so nothing else there is read or
counted). Without DATABASE_URL (the SQLite leg) it is skipped; with DATABASE_URL but no
reachable PostgreSQL or Redis it is skipped locally and fails in CI.
"""

import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
import redis

from tests.conftest import require
from tests.e2e.commands import routinie
from tests.e2e.site_client import STRONG_PASSWORD, Site
from tests.e2e.test_worker_recovery import _until, _up
from tests.smtp_sink import SmtpSink, free_port

ACCOUNTS = 2000  # the notice fan-out's audience
NOTICE_BATCH = 100  # accounts per notice task: 20 tasks for the two workers to share
RESETS = 120  # password-reset e-mails queued over both servers, one task each
LOGIN_LIMIT = 10  # LOGIN_THROTTLE_PER_ACCOUNT's default
DEADLINE = 60.0  # generous waits (a busy 2-core machine); every wait polls
PERIODIC_JOBS = (
    "routinie.billing.tasks.end_grace_periods",
    "routinie.privacy.retention.purge_daily",
    "routinie.stats.tasks.refresh_stats_daily",
)
FREQUENT_JOBS = (  # every minute, every FORGOTTEN_TIMER_CHECK_MINUTES (5)
    "routinie.tracking.reminders.tasks.send_reminders",
    "routinie.tracking.forgotten.reminders.remind_forgotten_timers",
)
WORKER_STARTED = re.compile(r"Starting worker worker_id=(\S+)")

SETUP = textwrap.dedent(
    f"""
    from django.contrib.auth.hashers import make_password
    from routinie.accounts.models import User

    hashed = make_password("{STRONG_PASSWORD}")
    User.objects.bulk_create(
        [User(name=f"Person {{i}}", email=f"p{{i}}@example.test", password=hashed)
         for i in range({ACCOUNTS})],
        batch_size=1000,
    )
    """
)
ANNOUNCE = textwrap.dedent(
    """
    from datetime import timedelta
    from django.utils import timezone
    from routinie.policy.publishing import announce_version, save_draft

    draft = save_draft(
        source="Run by {{ operator }}. We keep sign-in times for a year.",
        summary="We keep sign-in times for a year.",
        effective_at=timezone.now() + timedelta(days=45),
        reduces_rights=True,
    )
    announce_version(version_id=draft.pk)
    announce_version(version_id=draft.pk)  # two staff members at once: the fan-out runs twice
    """
)


# --- The shared services ----------------------------------------------------------------------
def _services() -> tuple[str, str]:
    """DATABASE_URL and REDIS_URL of the PostgreSQL leg, both answering."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        pytest.skip("two servers share PostgreSQL: the PostgreSQL leg (DATABASE_URL) runs this")
    require(
        urlsplit(database_url).scheme in {"postgres", "postgresql"},
        "DATABASE_URL is not a PostgreSQL URL",
    )
    redis_url = os.environ.get("REDIS_URL", "")
    require(bool(redis_url), "two servers share Redis: REDIS_URL is not set")
    try:
        redis.Redis.from_url(redis_url, socket_timeout=5).ping()
        reachable = True
    except redis.RedisError:
        reachable = False
    require(reachable, "Redis at REDIS_URL does not answer")
    return database_url, redis_url


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """A database made for this test on DATABASE_URL's server; its URL. Dropped afterwards."""
    server_url, _ = _services()
    parts = urlsplit(server_url)
    name = f"{parts.path.lstrip('/') or 'routinie'}_two_servers_{os.getpid()}"[:63]
    try:
        admin = psycopg.connect(server_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        admin = None
    require(admin is not None, "PostgreSQL at DATABASE_URL does not answer")
    assert admin is not None
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Rows:
    """Read-only queries on the servers' database: what the task queue recorded."""

    def __init__(self, url: str) -> None:
        self.url = url

    def all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()

    def tasks(self, path: str) -> list[tuple[str, list[str], Any]]:
        """(status, worker_ids, return value) of every run of the task `path`."""
        return [
            (status, list(workers), value)
            for status, workers, value in self.all(
                "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"
                " WHERE task_path = %s",
                path,
            )
        ]

    def statuses(self, path: str) -> Counter[str]:
        return Counter(status for status, _, _ in self.tasks(path))

    def all_done(self, path: str, count: int | None = None) -> bool:
        """Every run of `path` succeeded (and there are `count` of them, when given)."""
        statuses = self.statuses(path)
        return set(statuses) == {"SUCCESSFUL"} and count in (None, statuses["SUCCESSFUL"])


# --- Two servers -------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    base: str
    process: "subprocess.Popen[bytes]"
    log: Path

    def worker_ids(self) -> list[str]:
        return WORKER_STARTED.findall(self.log.read_text(errors="replace"))

    def site(self) -> Site:
        return Site(self.base)


def _start(name: str, env: dict[str, str], tmp_path: Path) -> Server:
    """`routinie serve` on a port of its own, with a DATA_DIR of its own (another machine)."""
    port = free_port()
    log = tmp_path / f"serve-{name}.log"
    data_dir = tmp_path / f"machine-{name}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "routinie", "serve", "--port", str(port), "--workers", "2"],
            env={**env, "DATA_DIR": str(data_dir), "SITE_URL": f"http://127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, f"http://127.0.0.1:{port}", process, log)


def _stop(*servers: Server) -> None:
    """SIGTERM to every server at once, as a deployment stops its machines; SIGKILL if stuck."""
    for server in servers:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture
def servers(
    scratch_database: str, smtp_sink: SmtpSink, tmp_path: Path
) -> Iterator[tuple[Server, Server, dict[str, str]]]:
    """Servers A and B on one database, one Redis, one SECRET_KEY and one SMTP server, with
    the accounts already made; and the environment of `routinie` commands on that platform."""
    _, redis_url = _services()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "routinie.settings",  # as served, not the suite's settings
        "ROUTINIE_ENV": "dev",  # plain-HTTP cookies for this HTTP client; DEBUG off below
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # shared: either server reads the other's
        "DATABASE_URL": scratch_database,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(tmp_path / "commands"),
        "ERASURE_JOURNAL": str(tmp_path / "shared" / "erasure-journal"),
        "EMAIL_URL": smtp_sink.url,
        "LOG_LEVEL": "INFO",
        "POLICY_NOTICE_BATCH": str(NOTICE_BATCH),
        "PASSWORD_RESET_THROTTLE_PER_CLIENT": str(RESETS * 10),  # every request is this client
    }
    migrated = routinie(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    accounts = subprocess.Popen(  # made while the servers start
        [sys.executable, "-m", "routinie", "shell", "-c", SETUP],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    smtp_log = logging.getLogger("mail.log")  # aiosmtpd: a line per SMTP command, thousands
    level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    a = _start("a", env, tmp_path)
    b = _start("b", env, tmp_path)
    try:
        for server in (a, b):
            _until(lambda s=server: _up(s.base + "/") or s.process.poll() is not None)
            assert _up(server.base + "/"), server.log.read_text()
        assert _until(lambda: all(len(s.worker_ids()) == 1 for s in (a, b))), "no task worker"
        _, error = accounts.communicate(timeout=DEADLINE)
        assert accounts.returncode == 0, error
        yield a, b, env
    finally:
        _stop(a, b)
        smtp_log.setLevel(level)
    for server in (a, b):  # nothing went wrong inside either server
        assert "Traceback" not in server.log.read_text(errors="replace"), server.log.read_text()


def _api(base: str, path: str, body: dict[str, str]) -> int:
    """POST `body` on a new connection (as a load balancer may route each request anywhere)."""
    return httpx.post(f"{base}/api/v1{path}", json=body, timeout=30).status_code


def test_two_servers_share_sessions_rate_limits_and_the_task_queue(
    servers: tuple[Server, Server, dict[str, str]], scratch_database: str, smtp_sink: SmtpSink
):
    a, b, env = servers
    rows = Rows(scratch_database)

    # Both servers queued the periodic jobs as they started: each has one first run, not two
    # (its next run, queued by the first, is a day later). The routine reminders run every
    # minute and the forgotten-timer check every 5: however many minutes passed, at most one run
    # of each waits (none while one runs and has not queued the next yet), never one per server.
    first_runs = rows.all(
        "SELECT task_path, count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE run_after < now() + interval '1 hour' AND NOT (task_path = ANY(%s))"
        " GROUP BY task_path",
        list(FREQUENT_JOBS),
    )
    assert dict(first_runs) == dict.fromkeys(PERIODIC_JOBS, 1)
    for job in FREQUENT_JOBS:
        runs = dict(
            rows.all(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE task_path = %s GROUP BY status",
                job,
            )
        )
        assert sum(runs.values()) >= 1, job
        assert runs.get("READY", 0) <= 1, (job, runs)

    # 1. Signed in on A with the login form: B knows the session; signed out on B: A forgets it.
    on_a, on_b = a.site(), b.site()
    assert on_a.sign_in("p0@example.test").status_code == 302
    session = on_a.session_cookie()
    assert session
    on_b.http.cookies.set("routinie_session", session, domain="127.0.0.1")
    account = on_b.get("/account/")
    assert account.status_code == 200, "B does not know the session A made"
    assert "Person 0" in account.text
    assert on_b.sign_out().status_code == 302
    assert on_a.get("/account/").status_code == 302, "signed out on B, still signed in on A"
    on_a.close()  # no kept-alive connection holds up the servers' stop
    on_b.close()

    # 2. One sign-in limit over both servers: wrong passwords alternate between A and B.
    wrong = {"email": "p1@example.test", "password": "wrong-password-1", "label": "x"}
    answers = [_api((a, b)[n % 2].base, "/auth/tokens", wrong) for n in range(LOGIN_LIMIT + 4)]
    assert answers == [401] * LOGIN_LIMIT + [429] * 4, answers
    right = {**wrong, "password": STRONG_PASSWORD}
    assert [_api(s.base, "/auth/tokens", right) for s in (a, b)] == [429, 429]

    # 3. Reset e-mails asked for over both servers: each task ran once, on either worker.
    for n in range(RESETS):
        server = (a, b)[n % 2]
        assert _api(server.base, "/auth/password-reset", {"email": f"p{n}@example.test"}) == 202
    reset_task = "routinie.accounts.tasks.send_password_reset"
    assert _until(lambda: rows.all_done(reset_task, RESETS)), rows.statuses(reset_task)
    resets = Counter(
        r.rcpt_tos[0] for r in smtp_sink.received if r["Subject"] == "Reset your Routinie password"
    )
    assert resets == {f"p{n}@example.test": 1 for n in range(RESETS)}
    claims = [workers for _, workers, _ in rows.tasks(reset_task)]
    assert all(len(workers) == 1 for workers in claims), "a task was claimed twice"
    workers = {a.worker_ids()[0]: "A", b.worker_ids()[0]: "B"}
    ran_on = Counter(workers[w[0]] for w in claims)
    assert set(ran_on) == {"A", "B"}, ran_on

    # 4. A policy notice to every account, announced twice at once (so both fan-outs queue
    # batches of the same accounts), the batches split over both workers: one e-mail each.
    before = len(smtp_sink.received)
    started = time.monotonic()
    announced = routinie(env, "shell", "-c", ANNOUNCE)
    assert announced.returncode == 0, announced.stderr
    smtp_sink.wait_for(before + ACCOUNTS, timeout=DEADLINE)
    took = time.monotonic() - started  # the command's start-up included
    fan_out, batch_task = (
        "routinie.policy.notices.start_policy_notices",
        "routinie.policy.notices.send_notice_batch",
    )
    assert _until(lambda: rows.all_done(fan_out, 2)), rows.statuses(fan_out)
    assert _until(lambda: rows.all_done(batch_task)), rows.statuses(batch_task)
    batches = sum(rows.statuses(batch_task).values())
    notices = Counter(
        r.rcpt_tos[0] for r in smtp_sink.received[before:] if "privacy policy" in r["Subject"]
    )
    assert notices == {f"p{n}@example.test": 1 for n in range(ACCOUNTS)}
    sent_by = Counter[str]()
    for _, claimed, sent in rows.tasks(batch_task):
        assert len(claimed) == 1, "a notice batch was claimed twice"
        sent_by[workers[claimed[0]]] += int(sent)
    assert min(sent_by["A"], sent_by["B"]) > 0, sent_by
    assert sum(sent_by.values()) == ACCOUNTS
    [(told, people, first, last)] = rows.all(
        "SELECT count(*), count(DISTINCT user_id), min(sent_at), max(sent_at)"
        " FROM policy_policynotice"
    )
    assert (told, people) == (ACCOUNTS, ACCOUNTS)
    sweeps = rows.tasks("routinie.policy.notices.sweep_policy_notices")
    assert [status for status, _, _ in sweeps] == ["READY"], "one chain of sweeps, not two"
    sending = (last - first).total_seconds()
    print(
        f"\nnotice fan-out: {ACCOUNTS} e-mails, {batches} batches (A sent {sent_by['A']}, B sent"
        f" {sent_by['B']}); {took:.1f} s from the announcing command's start, first to last"
        f" e-mail {sending:.1f} s ({ACCOUNTS / sending:.0f}/s)"
    )
