"""The embedded payment processor: when `PAYMENT_PROCESSOR_URL` is unset, `routinie serve`
and the tests start localstripe on loopback (`sandbox_server.py`) and point the platform at
it. Nothing here opens a connection: the sandbox prints its port when it listens."""

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from routinie.privacy import gateway


class SandboxFailed(Exception):
    """The sandbox did not start."""


@dataclass
class Sandbox:
    process: subprocess.Popen[str]
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_sandbox(state: Path | None = None) -> Sandbox:
    """Start the sandbox on a free loopback port and use it as the processor (this process's
    settings and its children's environment); `state` keeps its data across restarts."""
    command = [sys.executable, "-m", "routinie.billing.sandbox_server"]
    if state is not None:
        state.parent.mkdir(parents=True, exist_ok=True)  # DATA_DIR: on PostgreSQL nothing made it
        command += ["--state", str(state)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        process.wait()
        raise SandboxFailed("The local payment sandbox (localstripe) did not start.")
    url = f"http://127.0.0.1:{port}"
    settings.PAYMENT_PROCESSOR_URL = url
    os.environ["PAYMENT_PROCESSOR_URL"] = url
    return Sandbox(process, url)


def start_beside_server(site_url: str) -> Callable[[], None] | None:
    """`routinie serve`'s companion: the sandbox when no processor is configured, its state
    kept in DATA_DIR and its signed webhooks sent to this server; None when one is."""
    if settings.PAYMENT_PROCESSOR_URL:
        return None
    sandbox = start_sandbox(Path(settings.DATA_DIR) / "payment-sandbox.pickle")
    register_webhook(f"{site_url}/api/v1/billing/webhook")
    return sandbox.stop


def register_webhook(url: str) -> None:
    """Have the sandbox send its events, signed with STRIPE_WEBHOOK_SECRET, to `url`."""
    body = urlencode({"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    gateway.send(
        "POST", f"{settings.PAYMENT_PROCESSOR_URL}/_config/webhooks/routinie", body, headers
    )
