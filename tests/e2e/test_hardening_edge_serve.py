"""The web edge as served by `routinie serve` (gunicorn, several web processes, the task worker):
the sign-in throttle lets through no more than it promises under concurrent clients, on the
shared file cache and on Redis; the server's logs carry no client address and no e-mail address
in any form; the Server header names no version (black-box)."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.e2e.commands import routinie
from tests.e2e.edge_probes import carries
from tests.e2e.site_client import STRONG_PASSWORD
from tests.e2e.test_serve import _serve_env, _up, _wait_until
from tests.smtp_sink import free_port

CLIENTS, ATTEMPTS_EACH, LIMIT = 8, 5, 10  # LOGIN_THROTTLE_PER_ACCOUNT's default
CONFIRM_LINK = re.compile(r"/confirm-email/[^/\s]+/")


def _serve(env: dict[str, str], port: int, *args: str) -> subprocess.Popen[str]:
    routinie(env, "migrate", "--noinput", check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "routinie", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    if not _wait_until(lambda: _up(f"http://127.0.0.1:{port}/")):
        os.killpg(server.pid, signal.SIGTERM)
        pytest.fail("the server did not come up: " + server.communicate(timeout=30)[0])
    return server


def _stop(server: subprocess.Popen[str]) -> str:
    os.killpg(server.pid, signal.SIGINT)
    output, _ = server.communicate(timeout=30)
    return output


def _sign_up(base: str, email: str) -> None:
    created = httpx.post(
        f"{base}/api/v1/auth/signup",
        json={
            "name": "Ana Pop",
            "email": email,
            "password": STRONG_PASSWORD,
            "accept_policy_version": 1,
        },
    )
    assert created.status_code == 201, created.text


def _cache_env(cache: str, tmp_path: Path) -> dict[str, str]:
    env = {**_serve_env(tmp_path), "DJANGO_SETTINGS_MODULE": "routinie.settings"}
    if cache == "redis":
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            pytest.skip("the run without Redis (REDIS_URL unset) tests the file cache")
        env["REDIS_URL"] = redis_url
    return env


@pytest.mark.promise("P12")
@pytest.mark.parametrize("cache", ["file", "redis"])
def test_concurrent_wrong_passwords_get_no_more_than_the_limit(tmp_path: Path, cache: str):
    """8 clients at once, 5 wrong passwords each, against one account, over two web processes
    with four threads each: exactly 10 reach the password check, the other 30 are 429."""
    port = free_port()
    server = _serve(_cache_env(cache, tmp_path), port, "--workers", "2", "--threads", "4")
    base = f"http://127.0.0.1:{port}"
    try:
        email = f"ana-{cache}-{port}@example.test"  # Redis is shared by runs: a fresh account
        _sign_up(base, email)
        start, answers, lock = threading.Barrier(CLIENTS), Counter[int](), threading.Lock()

        def client(number: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:  # its own connection
                start.wait()
                for attempt in range(ATTEMPTS_EACH):
                    wrong = {"email": email, "password": f"wrong-{number}-{attempt}", "label": "x"}
                    status = http.post("/api/v1/auth/tokens", json=wrong).status_code
                    with lock:
                        answers[status] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == {401: LIMIT, 429: CLIENTS * ATTEMPTS_EACH - LIMIT}, answers
        right = {"email": email, "password": STRONG_PASSWORD, "label": "x"}
        assert httpx.post(f"{base}/api/v1/auth/tokens", json=right).status_code == 429
    finally:
        _stop(server)


def _raw_request(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
        return received


@pytest.mark.promise("P08")
def test_the_servers_logs_hold_no_client_address_nor_the_confirmation_links_address(
    tmp_path: Path,
):
    """A malformed request line (gunicorn's "Invalid request from ip=…"), then a sign-up whose
    confirmation link is opened as sent, and once tampered with (a "Bad Request" warning): the
    server's whole output (error and access log, Django's log) names neither the client's
    address nor the e-mail address, plain or base64."""
    port = free_port()
    env = {**_serve_env(tmp_path), "DJANGO_SETTINGS_MODULE": "routinie.settings"}
    server = _serve(env, port, "--workers", "2", "--access-log")
    base = f"http://127.0.0.1:{port}"
    email = "ana.pop@example.test"
    try:
        refused = _raw_request(port, b"THIS IS NOT HTTP\r\n\r\n")
        assert refused.startswith(b"HTTP/1.1 400"), refused
        answer = httpx.get(base + "/")
        assert answer.headers["Server"] == "gunicorn", "a server's name, no version"
        _sign_up(base, email)
        outbox = tmp_path / "outbox"

        def confirmation_sent() -> bool:
            return outbox.exists() and any(
                "Confirm your e-mail address" in f.read_text() for f in outbox.iterdir()
            )

        assert _wait_until(confirmation_sent), "the worker did not send the confirmation"
        sent = "\n".join(f.read_text() for f in outbox.iterdir())
        link = CONFIRM_LINK.search(sent)
        assert link, sent
        assert carries(link.group(0), email) == []
        tampered = link.group(0).replace("/confirm-email/", "/confirm-email/x")
        assert httpx.get(base + tampered).status_code == 400
        assert httpx.get(base + link.group(0)).status_code == 200
    finally:
        output = _stop(server)
    assert "Invalid request from" in output, output
    assert "Bad Request: /confirm-email/" in output, output
    assert f'"GET {link.group(0)} HTTP/1.1" 200' in output, output
    for address in ("127.0.0.1", "::1"):
        leaks = [line for line in output.splitlines() if address in line]
        # The one line that may name the loopback is our own start-up banner (the site's URL).
        assert all(line.startswith("Routinie: http://127.0.0.1:") for line in leaks), leaks
    assert carries(output, email) == [], output
