"""Scenarios timed inside this process (Django set up on the benchmark's database): the heavy
user's year summary, first pages of the entries list, and the full export.

Heavy-user figures are paired with the same call for an ordinary user, measured interleaved in
the same run, so the ratio holds even when the machine is noisy. The export's extra memory is
measured in a fresh process (`python -m bench.scenarios export-memory --user <id>`), where no
earlier work has raised the peak.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench.memory import reset_peak_rss, status_kb
from bench.report import Row

GROUPINGS = ("day", "week", "month", "project", "tag")
SUMMARY_TARGET = 0.050
EXPORT_TARGET = 5.0
EXPORT_MEMORY_TARGET_MB = 100.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return times


def timed_pair(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    """Both calls, interleaved, so a noisy moment affects both sides of their ratio."""
    a(), b()
    times_a, times_b = [], []
    for _ in range(repeats):
        times_a += timed(a, 1, warmup=0)
        times_b += timed(b, 1, warmup=0)
    return times_a, times_b


def ratios(a: list[float], b: list[float]) -> list[float]:
    return [x / y for x, y in zip(a, b, strict=True) if y > 0]


def query_profile(fn: Callable[[], object]) -> dict[str, Any]:
    """How many queries one call runs, their time, and the slowest (for the report)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    slowest = max(queries, default=(0.0, ""))
    return {
        "queries": len(queries),
        "db_seconds": round(sum(t for t, _ in queries), 4),
        "slowest_seconds": slowest[0],
        "slowest_sql": slowest[1][:600],
    }


def profile(fn: Callable[[], object], label: str, lines: int = 18) -> None:
    """Print where one call spends its time (cProfile, cumulative), for --profile."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    log(f"--- profile: {label}\n{out.getvalue()}")


def api_client(token: str) -> Any:
    from django.test import Client

    return Client(
        SERVER_NAME="127.0.0.1",
        headers={"authorization": f"Bearer {token}", "x-forwarded-proto": "https"},
    )


def get_ok(client: Any, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.content[:300]!r}")
    return response


def _diagnose(row: Row, fn: Callable[[], object], with_profile: bool) -> Row:
    row.details.update(query_profile(fn))
    d = row.details
    log(
        f"  {row.scenario} / {row.figure}: median {row.median * 1000:.1f} ms, "
        f"{d['queries']} queries, {d['db_seconds'] * 1000:.1f} ms in the database"
    )
    if with_profile:
        profile(fn, f"{row.scenario} / {row.figure}")
    return row


def summary_rows(heavy: Any, ordinary: Any, repeats: int, with_profile: bool) -> list[Row]:
    """The heavy user's one-year summary for each grouping (and vs. an ordinary user's)."""
    from routinie.tracking.calendar import today_for
    from routinie.tracking.reports.selectors import summary

    def call(user: Any, group_by: str, years_back: int = 0) -> Callable[[], object]:
        last = today_for(user) - timedelta(days=365 * years_back)
        first = last - timedelta(days=364)
        return lambda: summary(user=user, first=first, last=last, group_by=group_by)

    rows = _latest_vs_earliest_year(heavy, call, repeats)
    for group_by in GROUPINGS:
        heavy_times, ordinary_times = timed_pair(
            call(heavy, group_by), call(ordinary, group_by), repeats
        )
        row = Row("heavy user: year summary", f"time, group_by={group_by}", "ms", heavy_times)
        row.target = SUMMARY_TARGET
        rows.append(_diagnose(row, call(heavy, group_by), with_profile))
        rows.append(
            Row(
                "heavy user: year summary",
                f"heavy / ordinary user, group_by={group_by}",
                "ratio",
                ratios(heavy_times, ordinary_times),
            )
        )
    return rows


def _latest_vs_earliest_year(
    heavy: Any, call: Callable[..., Callable[[], object]], repeats: int
) -> list[Row]:
    """The same year-long report over the latest and the earliest year of the heavy user's
    history: near 1 when the query reads only the range, far above when it reads everything
    before the range's end."""
    from routinie.tracking.calendar import today_for
    from routinie.tracking.models import TimeEntry

    oldest = TimeEntry.objects.filter(user=heavy).order_by("start").values_list("start").first()
    years = (today_for(heavy) - oldest[0].date()).days // 365 - 1 if oldest else 0
    if years < 2:
        return []  # too short a history to compare
    latest, earliest = timed_pair(call(heavy, "day"), call(heavy, "day", years), repeats)
    figure = f"latest year / the year {years} years back, group_by=day"
    return [Row("heavy user: year summary", figure, "ratio", ratios(latest, earliest))]


def _previous_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def list_rows(
    heavy: Any, heavy_token: str, ordinary_token: str, repeats: int, with_profile: bool
) -> list[Row]:
    """First page of /api/v1/time-entries, unfiltered and for last month."""
    from routinie.tracking.calendar import today_for

    heavy_client, ordinary_client = api_client(heavy_token), api_client(ordinary_token)
    first, last = _previous_month(today_for(heavy))
    plain = "/api/v1/time-entries"
    month = f"{plain}?from={first}&to={last}"
    heavy_plain, ordinary_plain = timed_pair(
        lambda: get_ok(heavy_client, plain), lambda: get_ok(ordinary_client, plain), repeats
    )
    rows = [
        _diagnose(
            Row("heavy user: entries list", "first page (100)", "ms", heavy_plain),
            lambda: get_ok(heavy_client, plain),
            with_profile,
        ),
        Row(
            "heavy user: entries list",
            "first page, heavy / ordinary user",
            "ratio",
            ratios(heavy_plain, ordinary_plain),
        ),
    ]
    month_times = timed(lambda: get_ok(heavy_client, month), repeats)
    rows.append(
        _diagnose(
            Row("heavy user: entries list", "first page of last month", "ms", month_times),
            lambda: get_ok(heavy_client, month),
            with_profile,
        )
    )
    return rows


def consume_export(client: Any) -> tuple[int, int]:
    """Stream the CSV export to the end; (bytes, lines)."""
    response = get_ok(client, "/api/v1/time-entries/export?format=csv")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    return size, lines


def export_rows(heavy_token: str, heavy_id: str, repeats: int, with_profile: bool) -> list[Row]:
    """The heavy user's full CSV export: time (here) and extra memory (fresh processes)."""
    client = api_client(heavy_token)
    first: list[tuple[int, int]] = []
    queries = query_profile(lambda: first.append(consume_export(client)))  # also the warm-up
    size, lines = first[0]
    times = timed(lambda: consume_export(client), repeats, warmup=0)
    row = Row("heavy user: full export (CSV)", "time", "s", times, EXPORT_TARGET)
    row.details.update(queries, bytes=size, rows=lines - 1)
    log(f"  export: {lines - 1} rows, {size / 1e6:.1f} MB, median {row.median:.2f} s")
    if with_profile:
        profile(lambda: consume_export(client), "export")
    rate = Row("heavy user: full export (CSV)", "rows per second", "rows/s", [])
    rate.better = "higher"
    rate.values = [(lines - 1) / t for t in times]
    memory = [_export_memory_in_fresh_process(heavy_id) for _ in range(min(repeats, 3))]
    memory_row = Row(
        "heavy user: full export (CSV)", "extra peak memory", "MB", memory, EXPORT_MEMORY_TARGET_MB
    )
    memory_row.details["how"] = "VmHWM - VmRSS of a fresh process (peak reset via clear_refs)"
    return [row, rate, memory_row]


def _export_memory_in_fresh_process(user_id: str) -> float:
    command = [sys.executable, "-m", "bench.scenarios", "export-memory", "--user", user_id]
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        command, capture_output=True, text=True, env=os.environ.copy(), check=False, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"export-memory failed: {done.stderr[-2000:]}")
    return float(json.loads(done.stdout)["extra_mb"])


def export_memory(user_id: str) -> dict[str, float]:
    """In a fresh process: warm up on one day's export, then the full export's extra peak RSS."""
    import django

    django.setup()
    from routinie.accounts.models import User
    from routinie.accounts.services import create_api_token

    user = User.objects.get(pk=user_id)
    _, token = create_api_token(user=user, label="bench export memory")
    client = api_client(token)
    day = date.today() - timedelta(days=2)
    get_ok(client, f"/api/v1/time-entries/export?format=csv&from={day}&to={day}")
    gc.collect()
    reset_peak_rss()
    before = status_kb("VmRSS")
    size, lines = consume_export(client)
    extra_kb = status_kb("VmHWM") - before
    return {"extra_mb": extra_kb / 1024, "bytes": size, "rows": lines - 1}


def main() -> None:
    parser = argparse.ArgumentParser(description="Helpers run in a fresh process.")
    parser.add_argument("what", choices=["export-memory"])
    parser.add_argument("--user", required=True)
    args = parser.parse_args()
    print(json.dumps(export_memory(args.user)))


if __name__ == "__main__":
    main()
