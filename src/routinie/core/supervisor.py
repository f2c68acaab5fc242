"""A child process kept running: `routinie serve` starts the task worker through it, so a worker
that dies (kill -9, out of memory, a crash) is started again and background jobs never stop
silently.

A thread waits for the child; when it stops without being asked to, the thread logs it (the
process id and how it ended: never anything personal) and starts a new one after a wait that
doubles at each restart (1, 2, 4 … seconds, at most `max_wait`), so a worker that cannot start
(a database down) does not spin. A child that ran for `steady_after` seconds counts as healthy:
the next wait is 1 s again. `stop()` (or `stopping()`, from a signal handler) ends the restarts;
`stop()` then ends the child: SIGTERM, and SIGKILL if it is still there after `grace` seconds.

The child's end is seen by `Popen.wait`; when gunicorn's master (the same process) reaps it
first, Python reports exit code 0, so the log says "stopped" without a code then.
"""

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)

Start = Callable[[Sequence[str]], "subprocess.Popen[bytes]"]


def _popen(command: Sequence[str]) -> "subprocess.Popen[bytes]":
    return subprocess.Popen(list(command))  # noqa: S603 (our own command line)


def how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}" if returncode else "stopped"


def next_wait(previous: float | None, *, ran_for: float, steady_after: float, most: float) -> float:
    """The wait before the next start: 1 s at first or after a healthy run (`steady_after`
    seconds or more), else twice the previous wait, at most `most`."""
    if previous is None or ran_for >= steady_after:
        return 1.0
    return min(previous * 2, max(1.0, most))


class Supervised:
    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        max_wait: float = 60.0,
        steady_after: float = 60.0,
        grace: float = 10.0,
        start: Start = _popen,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.max_wait = max(1.0, max_wait)
        self.steady_after = steady_after
        self.grace = grace
        self._start = start
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self.restarts = 0
        self.process = self._start(self.command)
        self._watcher = threading.Thread(target=self._watch, name=f"supervise-{name}", daemon=True)
        self._watcher.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def stopping(self) -> None:
        """No more restarts (safe to call from a signal handler: it only sets a flag)."""
        self._stopping = True

    def stop(self) -> None:
        """No more restarts, and the child ends (SIGTERM, then SIGKILL after `grace`)."""
        with self._guard:
            self._stopping = True
            process = self.process
        self._wake.set()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._watcher.join(timeout=self.grace)

    def _watch(self) -> None:
        wait: float | None = None
        while True:
            started = time.monotonic()
            process = self.process
            returncode = process.wait()
            if self._stopping:
                return
            wait = next_wait(
                wait,
                ran_for=time.monotonic() - started,
                steady_after=self.steady_after,
                most=self.max_wait,
            )
            logger.warning(
                "%s (pid %d) %s; starting it again in %g s.",
                self.name,
                process.pid,
                how_it_ended(returncode),
                wait,
            )
            if self._wake.wait(wait) or self._stopping:
                return
            with self._guard:
                if self._stopping:
                    return
                self.process = self._start(self.command)
                self.restarts += 1
            logger.warning("%s started again (pid %d).", self.name, self.process.pid)
