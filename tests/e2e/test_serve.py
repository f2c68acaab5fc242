"""`routinie serve` (what `make run` starts) serves the pages and runs queued tasks (black-box)."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.commands import file_database_env, routinie
from tests.e2e.site_client import STRONG_PASSWORD
from tests.smtp_sink import free_port


def _routinie_checked(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return routinie(env, *args, check=True)


def _serve_env(data_dir: Path) -> dict[str, str]:
    """`make run`'s environment: SQLite in `data_dir`, no Redis, e-mail to files, DEBUG off."""
    env = file_database_env(data_dir, EMAIL_URL="file:", DEBUG="0", ROUTINIE_ENV="dev")
    env.pop("REDIS_URL", None)
    return env


def _wait_until(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_serve_runs_the_site_and_the_task_worker(tmp_path: Path):
    port = free_port()
    env = _serve_env(tmp_path)
    _routinie_checked(env, "migrate", "--noinput")
    demo = _routinie_checked(env, "demo_account")
    assert "demo@routinie.localhost" in demo.stdout
    server = subprocess.Popen(
        [sys.executable, "-m", "routinie", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_until(lambda: _up(base + "/")), "the server did not come up"
        created = httpx.post(
            base + "/api/v1/auth/signup",
            json={
                "name": "Ana",
                "email": "ana@example.test",
                "password": STRONG_PASSWORD,
                "accept_policy_version": 1,
            },
        )
        assert created.status_code == 201, created.text
        # An old password makes the next sign-in queue a reminder e-mail for the worker.
        _routinie_checked(
            env,
            "shell",
            "-c",
            "from routinie.accounts.models import User; from datetime import timedelta; "
            "from django.utils import timezone; "
            "User.objects.update(password_changed_at=timezone.now() - timedelta(days=400))",
        )
        token = httpx.post(
            base + "/api/v1/auth/tokens",
            json={"email": "ana@example.test", "password": STRONG_PASSWORD, "label": "t"},
        )
        assert token.status_code == 201
        web = httpx.Client(base_url=base)
        login = web.get("/login/")
        csrf = login.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        signed_in = web.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": csrf,
                "email": "ana@example.test",
                "password": STRONG_PASSWORD,
            },
        )
        assert signed_in.status_code == 302
        outbox = tmp_path / "outbox"

        def reminder_sent() -> bool:
            return outbox.exists() and any(
                "Subject: A reminder: your Routinie password" in f.read_text()
                for f in outbox.iterdir()
            )

        assert _wait_until(reminder_sent), "the worker did not send the queued e-mails"
        sent = "\n".join(f.read_text() for f in outbox.iterdir())
        assert "ana@example.test" in sent
        assert "Confirm your e-mail address" in sent
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=15)


def test_dev_needs_no_secret_key_and_generates_one(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DATA_DIR": str(tmp_path), "ROUTINIE_ENV": "dev"})
    result = _routinie_checked(env, "check")
    assert "no issues" in result.stdout
    assert (tmp_path / "secret_key").exists()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.mark.promise("P08")
def test_serve_is_the_production_server_and_ctrl_c_stops_everything(tmp_path: Path):
    """Also: its access log names each request, never the client's address."""
    port = free_port()
    env = _serve_env(tmp_path)
    _routinie_checked(env, "migrate", "--noinput")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "routinie",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "3",
            "--access-log",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert _wait_until(lambda: _up(f"http://127.0.0.1:{port}/")), "the server did not come up"
        # Kept-alive connections: two requests, one connection, a production server's answer.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        first = connection.getresponse()
        first.read()
        sock = connection.sock
        connection.request("GET", "/api/v1/public/cookies")
        second = connection.getresponse()
        second.read()
        assert (first.status, second.status) == (200, 200)
        assert not first.will_close
        assert connection.sock is sock
        assert "gunicorn" in (first.getheader("Server") or "")
        connection.close()
        # Two web workers, the task worker and the payment sandbox (no PAYMENT_PROCESSOR_URL),
        # all children of the one `serve` process (the second worker may still be forking
        # when the first one answers).
        _wait_until(lambda: len(_children(server.pid)) == 4, seconds=20)
        children = _children(server.pid)
        assert len(children) == 4, children
        commands = [Path(f"/proc/{c}/cmdline").read_bytes().split(b"\0") for c in children]
        assert sum(b"db_worker" in command for command in commands) == 1
        assert sum(b"routinie.billing.sandbox_server" in c for c in commands) == 1
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert f"Routinie: http://127.0.0.1:{port}/" in output
    assert "2 processes x 3 threads" in output
    requests = [line for line in output.splitlines() if line.startswith('"GET ')]
    assert any(line.startswith('"GET / HTTP/1.1" 200 ') for line in requests), output
    assert not [line for line in requests if "127.0.0.1" in line], requests
    assert _wait_until(lambda: not any(_alive(c) for c in children), seconds=10)


def test_serve_refuses_bad_options_and_an_unmigrated_database(tmp_path: Path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "ROUTINIE_ENV": "dev"}
    env.pop("DATABASE_URL", None)
    refused = routinie(env, "serve", "--port", "0")
    assert refused.returncode != 0
    assert "--port must be between 1 and 65535" in refused.stderr
    unmigrated = routinie(env, "serve", "--port", str(free_port()))
    assert unmigrated.returncode != 0
    assert "run `routinie migrate` first" in unmigrated.stderr
    routinie(env, "migrate", "--noinput", check=True)
    for variable in ("WEB_WORKERS", "WEB_THREADS"):
        bad = routinie({**env, variable: "lots"}, "serve", "--port", str(free_port()))
        assert bad.returncode != 0
        assert f"{variable} must be a whole number of at least 1, not 'lots'" in bad.stderr
        assert "Traceback" not in bad.stderr
        assert "worker running" not in bad.stdout  # refused before anything started


def test_the_web_processes_share_one_rate_limit(tmp_path: Path):
    """Without Redis, `routinie serve`'s processes count sign-in failures together (a file
    cache under DATA_DIR): three wrong passwords, each on a new connection that any process
    may take, and the account is throttled on every process."""
    port = free_port()
    env = {
        **_serve_env(tmp_path),
        "DJANGO_SETTINGS_MODULE": "routinie.settings",  # as served, not the suite's settings
        "LOGIN_THROTTLE_PER_ACCOUNT": "3",
    }
    _routinie_checked(env, "migrate", "--noinput")
    server = subprocess.Popen(
        [sys.executable, "-m", "routinie", "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until(lambda: _up(base + "/")), "the server did not come up"
        signup = {"name": "Ana", "email": "ana@example.test", "accept_policy_version": 1}
        created = httpx.post(
            f"{base}/api/v1/auth/signup", json={**signup, "password": STRONG_PASSWORD}
        )
        assert created.status_code == 201, created.text
        wrong = {"email": "ana@example.test", "password": "wrong-1", "label": "x"}
        answers = []
        for _ in range(9):
            with httpx.Client(base_url=base) as fresh:  # a new connection each time
                answers.append(fresh.post("/api/v1/auth/tokens", json=wrong).status_code)
        assert answers == [401, 401, 401] + [429] * 6
        assert list((tmp_path / "cache").iterdir()), "the counters live in the shared file cache"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
