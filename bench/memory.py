"""A process's memory, read from /proc/self/status: the extra peak RSS of one call.

`reset_peak_rss()` sets VmHWM back to the current RSS (Linux 4.0+), so the peak of a call is
its own, not that of whatever ran earlier in the process."""

import gc
import time
from collections.abc import Callable
from typing import Any


def status_kb(name: str) -> int:
    """A field of /proc/self/status (VmRSS, VmHWM, ...), in kB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{name} not in /proc/self/status")


def reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")  # resets VmHWM to the current RSS


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, extra peak MB) of one call."""
    gc.collect()
    reset_peak_rss()
    before = status_kb("VmRSS")
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    return result, seconds, (status_kb("VmHWM") - before) / 1024
