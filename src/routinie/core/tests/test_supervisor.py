"""A supervised child process (core/supervisor.py, what `routinie serve` runs its task worker
with): started again when it dies, after a wait that doubles, never once it was asked to stop."""

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from routinie.core.supervisor import Supervised, how_it_ended, next_wait

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _until(predicate: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_the_wait_doubles_up_to_its_cap_and_starts_over_after_a_healthy_run():
    waits: list[float] = []
    wait = None
    for _ in range(8):
        wait = next_wait(wait, ran_for=0.5, steady_after=60, most=20)
        waits.append(wait)
    assert waits == [1, 2, 4, 8, 16, 20, 20, 20]
    assert next_wait(20, ran_for=61, steady_after=60, most=20) == 1


def test_how_a_child_ended_is_told_without_anything_else():
    assert how_it_ended(-signal.SIGKILL) == "killed by SIGKILL"
    assert how_it_ended(3) == "exit code 3"
    assert how_it_ended(0) == "stopped"


def test_a_killed_child_is_started_again_and_stop_ends_it_for_good(
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.WARNING, logger="routinie.core.supervisor")
    child = Supervised("The sleeper", SLEEPER, max_wait=1)
    first = child.pid
    try:
        os.kill(first, signal.SIGKILL)
        assert _until(lambda: child.restarts == 1 and _alive(child.pid)), "not started again"
        second = child.pid
        assert second != first
    finally:
        child.stop()
    assert not _alive(second)
    assert child.restarts == 1
    said = caplog.text
    assert f"The sleeper (pid {first}) killed by SIGKILL; starting it again in 1 s." in said
    assert f"The sleeper started again (pid {second})." in said


def test_no_restart_once_stopping_was_signalled():
    child = Supervised("The sleeper", SLEEPER, max_wait=1)
    try:
        child.stopping()  # what the server's SIGINT/SIGTERM handler does
        os.kill(child.pid, signal.SIGTERM)  # Ctrl-C reached the child too
        child.process.wait(timeout=30)
        assert _until(lambda: not child._watcher.is_alive()), "the watcher did not end"
        assert child.restarts == 0
    finally:
        child.stop()
