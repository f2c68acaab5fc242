"""The platform served as in production: gunicorn with `deploy/gunicorn.conf.py`, overridden
only where the benchmark must (a free port on 127.0.0.1, the number of workers, log files).

Also reads what the server itself knows: each worker's resident memory (/proc) and each
request's server-side time from the access log (`%(M)s`, milliseconds, in the deploy config).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = REPO / "deploy" / "gunicorn.conf.py"
ACCESS_LINE = re.compile(
    r'^"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms'
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float | None:
    """The process's resident memory (VmRSS in /proc/<pid>/status) in MB; None when it is gone
    (or is a zombie, which has none)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def operation_of(path: str) -> str:
    """The load mix's name for a request path (as the load generator names it)."""
    if path.startswith("/api/v1/timer/start"):
        return "timer_start"
    if path.startswith("/api/v1/timer/stop"):
        return "timer_stop"
    if path.startswith("/api/v1/time-entries"):
        return "today"
    if "/checkins" in path:
        return "checkin"
    if path.startswith("/api/v1/reports/summary"):
        return "week"
    return "other"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    access_log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MB."""
        sizes = (rss_mb(pid) for pid in self.worker_pids())
        return [size for size in sizes if size is not None]

    def access_log_size(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def server_times(self, since: int) -> dict[str, list[float]]:
        """Server-side seconds of each request logged after byte `since`, by operation."""
        times: dict[str, list[float]] = {}
        with self.access_log.open("rb") as log:
            log.seek(since)
            for raw in log:
                match = ACCESS_LINE.match(raw.decode("utf-8", "replace"))
                if match:
                    op = operation_of(match["path"])
                    times.setdefault(op, []).append(int(match["ms"]) / 1000)
        return times

    def wait_ready(self, token: str, path: str = "/api/v1/me", timeout: float = 60.0) -> None:
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
            f"{self.base_url}{path}",
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # still starting
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s")


@contextmanager
def gunicorn(
    *, workers: int, log_dir: Path, env: dict[str, str], app: str = "routinie.wsgi"
) -> Iterator[Server]:
    """Gunicorn serving `app` on a free port; stopped (SIGTERM to its master) afterwards."""
    port = free_port()
    name = app.split(".")[-1].split(":")[0]
    access_log = log_dir / f"gunicorn-{name}-access.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        "-c",
        str(GUNICORN_CONFIG),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--access-logfile",
        str(access_log),
    ]
    with (log_dir / f"gunicorn-{name}.log").open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 (our venv's gunicorn)
            command, cwd=REPO, env={**os.environ, **env}, stdout=output, stderr=output
        )
    try:
        yield Server(process, port, access_log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
