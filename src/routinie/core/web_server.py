"""The production web server: gunicorn's threaded worker, two processes per CPU.

`routinie serve` (what `make run` starts) and `deploy/gunicorn.conf.py` (for operators who run
the gunicorn command themselves) take their options from `gunicorn_options()`, so both serve
alike. Why gunicorn's threaded worker: it keeps connections alive (a browser or an API client
reuses one connection instead of paying a new one per request; the sync worker closes each), and
it is what the project already depends on. Why processes rather than threads: a request is
Python work, and threads of one process take turns on its interpreter lock (measured: a
1,000-entry page costs 5.5 ms of CPU with one thread per process, 6.8 ms with four). Two
processes per CPU keep both CPUs busy however the kept-alive connections fall on them.
`WEB_THREADS` adds threads where requests wait on a remote database. Measured against granian
and other shapes in docs/performance.md.

The access log is off unless asked for; when on, its lines carry the request, status, size and
time, never the client's address (P08). Gunicorn's own lines (its error log: "Invalid request
from ip=…") pass through the same redaction as Django's (`RedactingLogger`).
"""

import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.glogging import Logger

from routinie.core.log_redaction import RedactPersonalData

ACCESS_LOG_FORMAT = '"%(r)s" %(s)s %(b)s %(M)sms'
DEFAULT_THREADS = 1
PROCESSES_PER_CPU = 2


def cpu_count() -> int:
    """The CPUs this process may run on (a container's or a `taskset`'s limit included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


class RedactingLogger(Logger):
    """Gunicorn's logger with every line of its error and access logs redacted: no client
    address, e-mail address or token reaches a log, whatever gunicorn writes (P08)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactPersonalData) for f in log.filters):
                log.addFilter(RedactPersonalData())


def gunicorn_options(
    *,
    bind: str,
    workers: int | None = None,
    threads: int | None = None,
    access_log: str | None = None,
) -> dict[str, Any]:
    """Gunicorn's settings for Routinie. Workers default to `WEB_WORKERS` or two per CPU,
    threads per worker to `WEB_THREADS` or 1."""
    return {
        "bind": [bind],
        "workers": workers or _positive("WEB_WORKERS", PROCESSES_PER_CPU * cpu_count()),
        "worker_class": "gthread",
        "threads": threads or _positive("WEB_THREADS", DEFAULT_THREADS),
        "keepalive": 5,
        "graceful_timeout": 10,
        "accesslog": access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
        "logger_class": RedactingLogger,
        "forwarded_allow_ips": "127.0.0.1",
        "proc_name": "routinie",
    }


STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGQUIT})


class _Arbiter(Arbiter):
    """Gunicorn's master, telling `on_stopping` the moment a stop signal arrives."""

    def __init__(self, app: "EmbeddedGunicorn") -> None:
        self.on_stopping = app.on_stopping
        super().__init__(app)

    def signal(self, sig: int, frame: FrameType | None) -> None:
        if sig in STOP_SIGNALS and self.on_stopping is not None:
            self.on_stopping()
        super().signal(sig, frame)


class EmbeddedGunicorn(BaseApplication):
    """Gunicorn run from inside the `routinie` command: its master process is this process,
    so Ctrl-C (SIGINT) or SIGTERM stops it as it stops the gunicorn command. `on_stopping` is
    called from the signal handler when a stop signal arrives (it may only set a flag)."""

    def __init__(
        self,
        application: Callable[..., Any],
        options: dict[str, Any],
        on_ready: Callable[[], None] | None = None,
        on_stopping: Callable[[], None] | None = None,
    ) -> None:
        self.application = application
        self.options = options
        self.on_ready = on_ready
        self.on_stopping = on_stopping
        super().__init__()

    def run(self) -> None:
        try:
            _Arbiter(self).run()
        except RuntimeError as error:  # as BaseApplication.run
            print(f"\nError: {error}\n", file=sys.stderr)
            sys.stderr.flush()
            sys.exit(1)

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if self.on_ready is not None:
            on_ready = self.on_ready
            self.cfg.set("when_ready", lambda _server: on_ready())

    def load(self) -> Callable[..., Any]:
        return self.application
