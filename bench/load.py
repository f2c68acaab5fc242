"""The API mix under load, generated from its own process (it shares no interpreter with the
server): N asyncio clients, each signed in as its own user with a bearer token, for a bounded
time and number of requests, against 127.0.0.1 only.

The `api` mix: timer start/stop 30% (each client alternates), today's entries 30%, a check-in
for today 20%, this week's summary 20%. "Today" is each user's own local day. The `baseline`
mix is GET /api/v1/me only: the floor of an authenticated request, for same-run ratios; the
`hello` mix is GET / (for a bare WSGI app: the ceiling of this machine and harness).

The HTTP client: `raw` (default) is HTTP/1.1 over asyncio streams, one connection per request
as gunicorn's sync workers close them anyway; `httpx` is httpx.AsyncClient. On the 2-core
benchmark machine httpx spends ~10x more CPU per request (hello world: ~370 req/s with httpx,
~1,800 with raw), and that CPU is taken from the server being measured.

    python -m bench.load --base-url http://127.0.0.1:8123 --seconds 10 < plan.json

The plan on stdin: {"clients": [{"token": "rt_…", "timezone": "Asia/Tokyo",
"routine_ids": ["…"]}, …]}. One JSON object on stdout: throughput, latency percentiles,
errors, the same per operation, and this process's own CPU use.

Two options turn the closed loop into a soak's steady load (`bench/soak.py`): `--rate R`
starts requests on one shared schedule, R a second over all clients (a client late for its slot
sends at once: the clients bound what is in flight, and how far behind the schedule the run fell
is reported); `--sample-seconds S` also writes, every S seconds, one JSON line
`{"window": {...}}` with that window's requests, errors and latency percentiles, before the
final object. With `--sample-seconds` a run may last up to 4 hours (10 minutes otherwise).
"""

import argparse
import asyncio
import json
import math
import random
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

MIXES = {
    "api": (("timer", 30), ("today", 30), ("checkin", 20), ("week", 20)),
    "baseline": (("me", 100),),
    "hello": (("hello", 100),),
}
EXPECTED = {
    "me": {200},
    "hello": {200},
    "timer_start": {201},
    "timer_stop": {200},
    "today": {200},
    "checkin": {200, 201},
    "week": {200},
}
ERROR_SAMPLES = 10
TIMEOUT_SECONDS = 30.0
MAX_SECONDS = 600.0  # a plain run: it must stop by itself
MAX_SAMPLED_SECONDS = 4 * 3600.0  # a soak (--sample-seconds): bounded too
TIMER_DESCRIPTION = "bench timer"  # the run's own entries, removed between runs

# (method, path, headers, JSON body) -> (status, body)
Send = Callable[[str, str, dict[str, str], Any], Awaitable[tuple[int, bytes]]]


@dataclass
class Tally:
    remaining: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    window: list[float] = field(default_factory=list)  # latencies since the last window
    window_errors: int = 0

    def record(self, op: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(op, []).append(seconds)
        self.window.append(seconds)
        if error is not None:
            self.errors[op] = self.errors.get(op, 0) + 1
            self.window_errors += 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(f"{op}: {error}")

    def take_window(self) -> tuple[list[float], int]:
        """The latencies and errors recorded since the last call, and a fresh window."""
        taken = self.window, self.window_errors
        self.window, self.window_errors = [], 0
        return taken


@dataclass
class Pace:
    """One schedule for every client: slot k starts `k / rate` seconds after `began`. A client
    late for its slot sends at once (catching up), so the number of clients bounds what is in
    flight; `behind` is how late the latest request of the window started."""

    rate: float
    began: float
    taken: int = 0
    behind: float = 0.0

    async def wait_turn(self, deadline: float) -> bool:
        """Wait for the next slot; False (at once) when that slot is past the deadline."""
        due = self.began + self.taken / self.rate
        if due >= deadline:
            return False
        self.taken += 1
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        self.behind = max(0.0, -delay)
        return True

    def take_behind(self) -> float:
        behind, self.behind = self.behind, 0.0
        return behind


class VirtualUser:
    """One client: its user's token, time zone and routines; knows whether its timer runs."""

    def __init__(self, plan: dict[str, Any], rng: random.Random, mix: str) -> None:
        self.headers = {
            "Authorization": f"Bearer {plan['token']}",
            "X-Forwarded-Proto": "https",
        }
        self.zone = ZoneInfo(plan["timezone"])
        self.routine_ids: list[str] = plan["routine_ids"]
        self.rng = rng
        self.operations = [m[0] for m in MIXES[mix]]
        self.weights = [m[1] for m in MIXES[mix]]
        self.timer_running = False

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def next_request(self) -> tuple[str, str, str, dict[str, Any] | None]:
        """(operation, method, path, JSON body) of the next request in the mix."""
        op = self.rng.choices(self.operations, weights=self.weights)[0]
        today = self.today()
        if op in ("me", "hello"):
            return op, "GET", "/api/v1/me" if op == "me" else "/", None
        if op == "timer" and self.timer_running:
            return "timer_stop", "POST", "/api/v1/timer/stop", None
        if op == "timer":
            return "timer_start", "POST", "/api/v1/timer/start", {"description": TIMER_DESCRIPTION}
        if op == "today":
            return "today", "GET", f"/api/v1/time-entries?from={today}&to={today}", None
        if op == "checkin":
            routine = self.rng.choice(self.routine_ids)
            body = {"date": today.isoformat(), "status": "done"}
            return "checkin", "POST", f"/api/v1/routines/{routine}/checkins", body
        monday = today - timedelta(days=today.weekday())
        sunday = monday + timedelta(days=6)
        path = f"/api/v1/reports/summary?from={monday}&to={sunday}&group_by=day"
        return "week", "GET", path, None

    def observe(self, op: str, status: int) -> None:
        if op == "timer_start" and status == 201:
            self.timer_running = True
        elif op == "timer_stop" and status in (200, 409):  # 409: no timer was running
            self.timer_running = False


def raw_sender(host: str, port: int) -> Send:
    """HTTP/1.1, one connection per request (`Connection: close`), over asyncio streams."""

    async def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
            head = await reader.readuntil(b"\r\n\r\n")
            length = None
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            content = await (reader.readexactly(length) if length is not None else reader.read())
        finally:
            writer.close()
        return int(head.split(b" ", 2)[1]), content

    return send


def httpx_sender(base_url: str, clients: int) -> tuple[Send, Any]:
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    http = httpx.AsyncClient(base_url=base_url, limits=limits, timeout=TIMEOUT_SECONDS)

    async def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes]:
        response = await http.request(method, path, json=body, headers=headers)
        return response.status_code, response.content

    return send, http


async def run_client(
    send: Send, user: VirtualUser, tally: Tally, deadline: float, pace: Pace | None = None
) -> None:
    while tally.remaining > 0 and time.perf_counter() < deadline:
        if pace is not None and not await pace.wait_turn(deadline):
            break
        tally.remaining -= 1
        op, method, path, body = user.next_request()
        began = time.perf_counter()
        error = None
        try:
            status, content = await asyncio.wait_for(
                send(method, path, user.headers, body), TIMEOUT_SECONDS
            )
            if status not in EXPECTED[op]:
                error = f"{method} {path} -> {status} {content[:200]!r}"
            user.observe(op, status)
        except Exception as exc:  # every failure is counted; none stops the run
            error = f"{method} {path} -> {type(exc).__name__}: {exc}"
        tally.record(op, time.perf_counter() - began, error)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.99 = p99); NaN when there is nothing."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summarize(tally: Tally, wall: float, cpu: float) -> dict[str, Any]:
    every = [t for times in tally.latencies.values() for t in times]
    per_op = {
        op: {
            "requests": len(times),
            "errors": tally.errors.get(op, 0),
            "p50_seconds": percentile(times, 0.50),
            "p99_seconds": percentile(times, 0.99),
        }
        for op, times in sorted(tally.latencies.items())
    }
    return {
        "requests": len(every),
        "errors": sum(tally.errors.values()),
        "error_samples": tally.error_samples,
        "seconds": wall,
        "throughput": len(every) / wall if wall else 0.0,
        "p50_seconds": percentile(every, 0.50),
        "p95_seconds": percentile(every, 0.95),
        "p99_seconds": percentile(every, 0.99),
        "per_operation": per_op,
        "load_generator_cpu_seconds": cpu,
    }


async def write_windows(tally: Tally, pace: Pace | None, began: float, args: Any) -> None:
    """Every `args.sample_seconds` until the run's end: one JSON line on stdout with what the
    window since the previous line measured."""
    previous = began
    for number in range(1, int(args.seconds // args.sample_seconds) + 1):
        await asyncio.sleep(max(0.0, began + number * args.sample_seconds - time.perf_counter()))
        now = time.perf_counter()
        latencies, errors = tally.take_window()
        window = {
            "window": number,
            "elapsed_seconds": now - began,
            "seconds": now - previous,
            "requests": len(latencies),
            "errors": errors,
            "throughput": len(latencies) / (now - previous),
            "p50_seconds": percentile(latencies, 0.50),
            "p95_seconds": percentile(latencies, 0.95),
            "p99_seconds": percentile(latencies, 0.99),
            "behind_seconds": pace.take_behind() if pace is not None else 0.0,
        }
        previous = now
        sys.stdout.write(json.dumps({"window": window}) + "\n")
        sys.stdout.flush()


async def run(args: argparse.Namespace, plans: list[dict[str, Any]]) -> dict[str, Any]:
    rngs = [random.Random(args.seed + i) for i in range(len(plans))]  # noqa: S311 (a mix)
    users = [VirtualUser(p, rng, args.mix) for p, rng in zip(plans, rngs, strict=True)]
    tally = Tally(remaining=args.max_requests)
    closing = None
    if args.client == "httpx":
        send, closing = httpx_sender(args.base_url, len(users))
    else:
        parts = urlsplit(args.base_url)
        send = raw_sender(parts.hostname or "127.0.0.1", parts.port or 80)
    cpu_before = time.process_time()
    began = time.perf_counter()
    pace = Pace(args.rate, began) if args.rate else None
    work = [run_client(send, u, tally, began + args.seconds, pace) for u in users]
    if args.sample_seconds:
        work.append(write_windows(tally, pace, began, args))
    await asyncio.gather(*work)
    wall = time.perf_counter() - began
    if closing is not None:
        await closing.aclose()
    return summarize(tally, wall, time.process_time() - cpu_before)


def main() -> None:
    parser = argparse.ArgumentParser(description="The API mix under load (see module doc).")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--mix", choices=sorted(MIXES), default="api")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rate", type=float, help="requests/s over all clients (default: closed loop)"
    )
    parser.add_argument("--sample-seconds", type=float, help="write a JSON line every N seconds")
    args = parser.parse_args()
    if urlsplit(args.base_url).hostname != "127.0.0.1":
        parser.error("the load generator only ever talks to 127.0.0.1")
    longest = MAX_SAMPLED_SECONDS if args.sample_seconds else MAX_SECONDS
    if not 0 < args.seconds <= longest:
        parser.error(f"--seconds is between 0 and {longest:.0f}: the run must stop by itself")
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be above 0")
    if args.sample_seconds is not None and not 0 < args.sample_seconds <= args.seconds:
        parser.error("--sample-seconds is above 0 and at most --seconds")
    plans = json.load(sys.stdin)["clients"]
    if len(plans) < args.clients:
        parser.error(f"the plan has {len(plans)} users for {args.clients} clients")
    result = asyncio.run(run(args, plans[: args.clients]))
    result["client"] = args.client
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
