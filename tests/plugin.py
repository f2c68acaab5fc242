"""Suite-wide guards and fixtures.

- A socket guard: a test that connects anywhere but this machine's loopback fails (P02).
- In CI (CI=true) a test skipped for a missing service fails instead.
- `@pytest.mark.promise("P08")` ties a test to a promise; `--promises` prints the table.
- The named test users, the same for every app, come from tests/personas.py.
"""

import ipaddress
import os
import socket
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests

# The people of the suite (make_user, ada, ben, staff, superuser, client_of): tests/personas.py.
pytest_plugins = ["tests.personas"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# --- Socket guard (P02) -----------------------------------------------------------------------
class OutboundConnectionBlocked(RuntimeError):
    pass


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not is_loopback(host):
        raise OutboundConnectionBlocked(f"test tried to connect to {host!r}: only loopback")


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    _check(self, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not is_loopback(host):
        raise OutboundConnectionBlocked(f"test tried to resolve {host!r}: only loopback")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
    config.addinivalue_line("markers", "promise(id): proves a promise")


# --- A skip for a missing service fails in CI -------------------------------------------------
def require(available: bool, reason: str) -> None:
    """Skip the test locally when a service is missing; fail it in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


# --- Promise table ----------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--promises", action="store_true", help="print the promise → tests table")


_promise_results: dict[str, list[tuple[str, str]]] = defaultdict(list)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for marker in item.iter_markers("promise"):
            for promise_id in marker.args:
                _promise_results[promise_id].append((item.nodeid, report.outcome))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not config.getoption("--promises"):
        return
    write = terminalreporter.write_line
    write("")
    write(
        "Promise  Result  Tests (black-box: the tests under tests/, over HTTP, Chromium or a command)"
    )
    for number in range(1, 21):
        pid = f"P{number:02d}"
        results = _promise_results.get(pid, [])
        if not results:
            write(f"{pid}      NONE    (no test yet)")
            continue
        verdict = "PASS" if all(o == "passed" for _, o in results) else "FAIL"
        black_box = sum(1 for nodeid, _ in results if nodeid.startswith("tests/"))
        write(f"{pid}      {verdict}    {len(results)} test(s), {black_box} black-box")
        for nodeid, outcome in results:
            write(f"           {outcome:7} {nodeid}")


# --- Data every test may rely on --------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_cache_and_policy(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with an empty cache (rate limits) and the first policy version."""
    from django.core.cache import cache

    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        from routinie.policy.first_version import ensure_first_version

        request.getfixturevalue(
            "transactional_db" if "live_server" in request.fixturenames else "db"
        )
        ensure_first_version()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def production_password_hashing(settings: Any) -> None:
    """Passwords hashed as in production (Argon2id), for the tests that prove how they are
    stored; the suite otherwise uses a fast hasher (tests/settings.py)."""
    from tests.settings import PRODUCTION_PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS


def cache_keys() -> list[str]:
    """Every key in the default cache, local memory or Redis (to prove what is kept there)."""
    from django.core.cache import cache

    store = cache._cache  # type: ignore[attr-defined]
    if isinstance(store, dict):
        return [str(k) for k in store]
    return [k.decode() for k in store.get_client().keys("*")]


def run_queued_tasks() -> None:
    """Run every task waiting in the database queue, as the worker would, then return."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
