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
TIMER_DESCRIPTION = "bench timer"  # the run's own entries, removed between runs

# (method, path, headers, JSON body) -> (status, body)
Send = Callable[[str, str, dict[str, str], Any], Awaitable[tuple[int, bytes]]]


@dataclass
class Tally:
    remaining: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def record(self, op: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(op, []).append(seconds)
        if error is not None:
            self.errors[op] = self.errors.get(op, 0) + 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(f"{op}: {error}")


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


async def run_client(send: Send, user: VirtualUser, tally: Tally, deadline: float) -> None:
    while tally.remaining > 0 and time.perf_counter() < deadline:
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
        "p99_seconds": percentile(every, 0.99),
        "per_operation": per_op,
        "load_generator_cpu_seconds": cpu,
    }


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
    await asyncio.gather(*(run_client(send, u, tally, began + args.seconds) for u in users))
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
    args = parser.parse_args()
    if urlsplit(args.base_url).hostname != "127.0.0.1":
        parser.error("the load generator only ever talks to 127.0.0.1")
    if not 0 < args.seconds <= 600:
        parser.error("--seconds is between 0 and 600: the run must stop by itself")
    plans = json.load(sys.stdin)["clients"]
    if len(plans) < args.clients:
        parser.error(f"the plan has {len(plans)} users for {args.clients} clients")
    result = asyncio.run(run(args, plans[: args.clients]))
    result["client"] = args.client
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
