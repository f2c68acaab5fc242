"""The soak's samples, its verdict and its tables (`bench/soak.py` takes the samples).

The verdict: no error (any unexpected status, timeout or refused connection, in the
measurement or the soak), every server process alive from the first sample to the last (none
died, none was started again), and memory flat. Memory is flat for a process when, after the
warm-up, the median of its VmRSS over the last third of the samples is at most 10 % above the
median over the first third (a leak grows; a process giving memory back is fine). Fewer than
three samples after the warm-up cannot be judged, and fail.
"""

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.report import Row, render

FLAT_TOLERANCE = 0.10  # the last third's median RSS may be this much above the first third's
RATE_HELD = 0.95  # below this share of the asked rate, the soak says so (not judged)


@dataclass(frozen=True)
class Flatness:
    """One process's memory after the warm-up: the medians of the first and last thirds."""

    first_mb: float
    last_mb: float
    samples: int

    @property
    def change(self) -> float:
        return self.last_mb / self.first_mb - 1

    @property
    def flat(self) -> bool:
        return self.change <= FLAT_TOLERANCE


def memory_flatness(series: list[float], warmup_samples: int) -> Flatness | None:
    """The flatness of a VmRSS series (MB, one value per sample) once the first
    `warmup_samples` are left out; None when fewer than three samples remain."""
    judged = series[warmup_samples:]
    third = len(judged) // 3
    if third < 1:
        return None
    first = statistics.median(judged[:third])
    last = statistics.median(judged[-third:])
    return Flatness(first, last, len(judged))


@dataclass(frozen=True)
class Process:
    """A process of the server's session, named by what it is."""

    pid: int
    label: str  # "web worker 1", "task worker", "routinie serve (gunicorn master)", ...
    command: str
    first_seen: int  # the sample it was first seen in (0: the first)


@dataclass(frozen=True)
class Sample:
    """One window of the soak (what the load generator measured) and the memory at its end."""

    elapsed_seconds: float
    requests: int
    throughput: float
    p50_seconds: float
    p95_seconds: float
    p99_seconds: float
    errors: int
    behind_seconds: float  # how late against the schedule the window's last request started
    rss_mb: dict[int, float] = field(default_factory=dict)  # pid -> VmRSS; absent: gone


@dataclass
class Verdict:
    errors: int
    memory: dict[int, Flatness | None]  # per pid; None: too few samples to judge
    not_throughout: list[str]  # processes that were not there from the first sample to the last

    @property
    def memory_flat(self) -> bool:
        return bool(self.memory) and all(f is not None and f.flat for f in self.memory.values())

    @property
    def passed(self) -> bool:
        return self.errors == 0 and self.memory_flat and not self.not_throughout

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "errors": self.errors,
            "memory_flat": self.memory_flat,
            "tolerance": FLAT_TOLERANCE,
            "memory": {
                str(pid): None
                if f is None
                else {
                    "first_third_mb": f.first_mb,
                    "last_third_mb": f.last_mb,
                    "change": f.change,
                    "flat": f.flat,
                    "samples": f.samples,
                }
                for pid, f in self.memory.items()
            },
            "not_throughout": self.not_throughout,
        }


def judge(
    samples: list[Sample], processes: list[Process], errors: int, warmup_samples: int
) -> Verdict:
    """The verdict over the samples: errors, processes that came or went, memory per process."""
    memory: dict[int, Flatness | None] = {}
    not_throughout = []
    for process in processes:
        series = [s.rss_mb[process.pid] for s in samples if process.pid in s.rss_mb]
        if process.first_seen > 0:
            not_throughout.append(f"{process.label} (pid {process.pid}) started during the soak")
        elif len(series) < len(samples):
            not_throughout.append(f"{process.label} (pid {process.pid}) ended during the soak")
        else:
            memory[process.pid] = memory_flatness(series, warmup_samples)
    return Verdict(errors, memory, not_throughout)


def _ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:,.1f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def short_label(label: str) -> str:
    """A process's column title in the samples table."""
    if label.startswith("web worker "):
        return f"web {label.removeprefix('web worker ')}"
    if label.startswith("task worker"):
        return "task"
    if label.startswith("routinie serve"):
        return "master"
    return label.split(":", 1)[-1].strip()[:12]


def samples_table(samples: list[Sample], processes: list[Process]) -> str:
    """One line per sample: time, requests/s, p50/p95/p99 (ms), errors, lag, VmRSS (MB)."""
    headers = ["time", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "behind s"]
    headers += [f"{short_label(p.label)} MB" for p in processes]
    lines = []
    for s in samples:
        minutes, seconds = divmod(round(s.elapsed_seconds), 60)
        line = [f"{minutes}:{seconds:02d}", f"{s.throughput:,.1f}"]
        line += [_ms(s.p50_seconds), _ms(s.p95_seconds), _ms(s.p99_seconds)]
        line += [str(s.errors), f"{s.behind_seconds:.2f}"]
        line += [_mb(s.rss_mb.get(p.pid)) for p in processes]
        lines.append(line)
    return render(headers, lines)


def memory_table(verdict: Verdict, processes: list[Process]) -> str:
    """Per process: the medians of the first and last thirds after the warm-up, and the change."""
    headers = ["process", "pid", "first third MB", "last third MB", "change", "flat?"]
    lines = []
    for p in processes:
        f = verdict.memory.get(p.pid)
        if p.pid not in verdict.memory:
            lines.append([p.label, str(p.pid), "-", "-", "-", "NO (not there throughout)"])
        elif f is None:
            lines.append([p.label, str(p.pid), "-", "-", "-", "NO (too few samples)"])
        else:
            flat = "yes" if f.flat else "NO"
            lines.append(
                [p.label, str(p.pid), _mb(f.first_mb), _mb(f.last_mb), f"{f.change:+.1%}", flat]
            )
    return render(headers, lines)


def summary_rows(samples: list[Sample], processes: list[Process], errors: int) -> list[Row]:
    """The soak's figures over its samples (median, min, max of the 10-second windows)."""
    rows = [
        Row("soak", "requests/s", "req/s", [s.throughput for s in samples], better="higher"),
        Row("soak", "latency p50", "ms", [s.p50_seconds for s in samples]),
        Row("soak", "latency p95", "ms", [s.p95_seconds for s in samples]),
        Row("soak", "latency p99", "ms", [s.p99_seconds for s in samples]),
        Row("soak", "errors (whole run)", "count", [float(errors)], 0, judge="worst"),
    ]
    for p in processes:
        series = [s.rss_mb[p.pid] for s in samples if p.pid in s.rss_mb]
        rows.append(Row("soak", f"VmRSS, {p.label}", "MB", series))
    return rows


def verdict_lines(verdict: Verdict, warmup_samples: int) -> list[str]:
    """The verdict, one reason per line, then PASS or FAIL."""
    flat = "yes" if verdict.memory_flat else "NO"
    lines = [
        f"errors: {verdict.errors} ({'none' if verdict.errors == 0 else 'NOT none'})",
        f"memory flat: {flat} (after a warm-up of {warmup_samples} samples, every process's "
        f"median VmRSS over the last third at most {FLAT_TOLERANCE:.0%} above the first third's)",
    ]
    lines += [f"process: {reason}" for reason in verdict.not_throughout]
    lines.append(f"verdict: {'PASS' if verdict.passed else 'FAIL'}")
    return lines


def rate_line(asked: float, achieved: float, behind_at_end: float) -> str:
    """Whether the soak ran at the rate it asked for (not judged: a shared machine may not give
    the server the CPU it had when the throughput was measured; then the figures say so)."""
    held = achieved / asked if asked else float("nan")
    line = (
        f"rate: {achieved:,.1f} of the {asked:,.1f} req/s asked ({held:.1%}); "
        f"{behind_at_end:.1f} s behind the schedule at the end"
    )
    if held < RATE_HELD:
        line += " (not held: the load ran as fast as the server answered, closed loop)"
    return line
