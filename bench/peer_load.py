"""The two workloads of the TimeTagger comparison (`bench.peer`), generated from their own
process: N asyncio clients, each with one persistent HTTP/1.1 connection (`bench.peer_http`),
sharing one account and its token, bounded in count and in time, against 127.0.0.1 only.

- `create`: one finished time entry per request, all inside one week (distinct start times,
  Monday 00:00 UTC onwards, evenly spaced), until `entries` requests were sent. TimeTagger:
  `PUT /timetagger/api/v2/records` with a list of one record (its answer must accept the key);
  Routinie: `POST /api/v1/time-entries` (must answer 201).
- `read`: the whole week, every page, again and again until `max_reads` reads or `seconds`.
  TimeTagger: `GET /timetagger/api/v2/records?timerange=t1-t2` (one answer); Routinie:
  `GET /api/v1/time-entries?from=MON&to=SUN&limit=1000`, following `next_cursor` until null.
  A read that did not return every entry exactly once is an error. The answers' ids (and
  Routinie's next cursor) are picked out of the JSON with one regular expression each, for
  both products alike: JSON never writes an unescaped quote inside a string, so `"id": "…"`
  only matches a key, and decoding 200 kB of JSON per page would take the servers' CPU.

The products differ only in the request each operation sends and how its answer is checked
(`TimeTagger`, `Routinie`); the clients, the connection code and the clock are the same.

    python -m bench.peer_load < plan.json
    python -m bench.peer_load plan.json

The plan (on stdin, or in the file named): {"product": "timetagger" | "routinie", "port": N,
"token": "…", "workload": "create" | "read", "entries": 2000, "clients": 8,
"week": "2026-11-02", "seconds": 20, "max_reads": 1000}. One JSON object on stdout:
operations, errors (with samples), wall seconds, throughput, latency percentiles, HTTP
requests, connections opened, and this process's own CPU use.
"""

import asyncio
import json
import re
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from bench.load import percentile
from bench.peer_http import Connection, ConnectionStats, Response

TIMETAGGER_KEY = re.compile(rb'"key":\s*"([^"]*)"')
ROUTINIE_ID = re.compile(rb'"id":\s*"([^"]*)"')
NEXT_CURSOR = re.compile(rb'"next_cursor":\s*(?:null|"([^"]*)")\s*}\s*$')

WEEK_SECONDS = 7 * 24 * 3600
PAGE_LIMIT = 1000  # Routinie's maximum page size
TIMEOUT_SECONDS = 120.0
MAX_SECONDS = 900.0
ERROR_SAMPLES = 10
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def week_bounds(week: date) -> tuple[int, int]:
    """The week's first and last second as Unix times (Monday 00:00 UTC, Sunday 23:59:59)."""
    if week.weekday() != 0:
        raise ValueError(f"the week must start on a Monday, not on {week:%A}")
    monday = int(datetime(week.year, week.month, week.day, tzinfo=UTC).timestamp())
    return monday, monday + WEEK_SECONDS - 1


def entry_span(week: date, count: int, index: int) -> tuple[int, int]:
    """Start and end (Unix seconds) of entry `index` of `count`: evenly spaced over the week,
    each lasting half the spacing, so none overlaps and all end inside the week."""
    spacing = WEEK_SECONDS // count
    start = week_bounds(week)[0] + index * spacing
    return start, start + max(1, spacing // 2)


def description(index: int) -> str:
    return f"peer benchmark entry {index}"


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


class Product(Protocol):
    """How one product's API is asked to do each operation and how its answer is checked."""

    async def create(self, connection: Connection, index: int) -> str | None:
        """Create entry `index`; an error message, or None when the product accepted it."""
        ...

    async def read(self, connection: Connection) -> tuple[list[str], int]:
        """The ids of every entry of the week, and the number of HTTP requests it took."""
        ...


@dataclass
class TimeTagger:
    token: str
    week: date
    count: int
    prefix: str = "/timetagger/api/v2"

    @property
    def headers(self) -> dict[str, str]:
        return {"authtoken": self.token, **JSON_HEADERS}

    def record(self, index: int) -> dict[str, Any]:
        """A record as TimeTagger's own client makes one (8-char key, st 0, mt now)."""
        t1, t2 = entry_span(self.week, self.count, index)
        key = f"pb{index:06d}"
        return {
            "key": key,
            "t1": t1,
            "t2": t2,
            "ds": description(index),
            "mt": int(time.time()),
            "st": 0,
        }

    async def create(self, connection: Connection, index: int) -> str | None:
        record = self.record(index)
        body = json.dumps([record]).encode()
        response = await connection.request("PUT", f"{self.prefix}/records", self.headers, body)
        if response.status != 200:
            return unexpected(response, "PUT records")
        answer = json.loads(response.body)
        if answer.get("accepted") != [record["key"]] or answer.get("failed"):
            return f"PUT records -> not accepted: {response.body[:200]!r}"
        return None

    async def read(self, connection: Connection) -> tuple[list[str], int]:
        first, last = week_bounds(self.week)
        target = f"{self.prefix}/records?timerange={first}-{last}"
        response = await connection.request("GET", target, self.headers)
        if response.status != 200:
            raise ReadError(unexpected(response, "GET records"))
        return [key.decode() for key in TIMETAGGER_KEY.findall(response.body)], 1


@dataclass
class Routinie:
    token: str
    week: date
    count: int
    prefix: str = "/api/v1"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **JSON_HEADERS}

    async def create(self, connection: Connection, index: int) -> str | None:
        start, end = entry_span(self.week, self.count, index)
        entry = {"description": description(index), "start": iso(start), "end": iso(end)}
        body = json.dumps(entry).encode()
        response = await connection.request(
            "POST", f"{self.prefix}/time-entries", self.headers, body
        )
        if response.status != 201:
            return unexpected(response, "POST time-entries")
        if "id" not in json.loads(response.body):
            return f"POST time-entries -> 201 without an id: {response.body[:200]!r}"
        return None

    async def read(self, connection: Connection) -> tuple[list[str], int]:
        sunday = self.week + timedelta(days=6)
        base = f"{self.prefix}/time-entries?from={self.week}&to={sunday}&limit={PAGE_LIMIT}"
        ids: list[str] = []
        cursor: str | None = None
        requests = 0
        while True:
            target = base if cursor is None else f"{base}&cursor={quote(cursor, safe='')}"
            response = await connection.request("GET", target, self.headers)
            requests += 1
            if response.status != 200:
                raise ReadError(unexpected(response, "GET time-entries"))
            ids += [entry_id.decode() for entry_id in ROUTINIE_ID.findall(response.body)]
            found = NEXT_CURSOR.search(response.body)
            if found is None:
                raise ReadError(f"GET time-entries -> no next_cursor: {response.body[-200:]!r}")
            if found[1] is None:
                return ids, requests
            cursor = found[1].decode()


class ReadError(Exception):
    """A read answered with something other than the week's entries."""


def unexpected(response: Response, what: str) -> str:
    return f"{what} -> {response.status} {response.body[:200]!r}"


@dataclass
class Tally:
    """What the clients did, shared by all of them (one event loop: no locks needed)."""

    next_index: int = 0
    operations: int = 0
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    entries_seen: list[int] = field(default_factory=list)

    def record(self, seconds: float, error: str | None) -> None:
        self.operations += 1
        self.latencies.append(seconds)
        if error is not None:
            self.errors += 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(error)


async def timed(operation: Awaitable[str | None]) -> tuple[float, str | None]:
    """Run one operation under the timeout: (seconds, error or None); no failure escapes."""
    began = time.perf_counter()
    try:
        error = await asyncio.wait_for(operation, TIMEOUT_SECONDS)
    except Exception as exc:  # every failure is counted; none stops the run
        error = f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - began, error


async def create_client(
    product: Product, connection: Connection, tally: Tally, count: int, deadline: float
) -> None:
    """Create entries (taking the next index of the shared sequence) until all are sent."""
    while tally.next_index < count and time.perf_counter() < deadline:
        index = tally.next_index
        tally.next_index += 1
        seconds, error = await timed(product.create(connection, index))
        tally.requests += 1
        tally.record(seconds, error)


async def checked_read(
    product: Product, connection: Connection, tally: Tally, expected: int
) -> str | None:
    """One read of the week; an error unless it returned every entry exactly once."""
    try:
        ids, requests = await product.read(connection)
    except ReadError as exc:
        return str(exc)
    tally.requests += requests
    tally.entries_seen.append(len(ids))
    if len(ids) != expected or len(set(ids)) != expected:
        return f"read {len(ids)} entries ({len(set(ids))} distinct), expected {expected}"
    return None


async def read_client(
    product: Product, connection: Connection, tally: Tally, plan: dict[str, Any], deadline: float
) -> None:
    """Read the week again and again until the plan's reads are started or time is up."""
    while tally.next_index < plan["max_reads"] and time.perf_counter() < deadline:
        tally.next_index += 1
        seconds, error = await timed(checked_read(product, connection, tally, plan["entries"]))
        tally.record(seconds, error)


def product_for(plan: dict[str, Any]) -> Product:
    week = date.fromisoformat(plan["week"])
    products: dict[str, Callable[[str, date, int], Product]] = {
        "timetagger": TimeTagger,
        "routinie": Routinie,
    }
    return products[plan["product"]](plan["token"], week, plan["entries"])


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    """Run the plan's workload with its clients; the summary of what happened."""
    product = product_for(plan)
    connections = [Connection(plan["port"]) for _ in range(plan["clients"])]
    tally = Tally()
    cpu_before = time.process_time()
    began = time.perf_counter()
    deadline = began + plan["seconds"]
    if plan["workload"] == "create":
        clients = [create_client(product, c, tally, plan["entries"], deadline) for c in connections]
    else:
        clients = [read_client(product, c, tally, plan, deadline) for c in connections]
    await asyncio.gather(*clients)
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu_before
    for connection in connections:
        await connection.close()
    return summarize(plan, tally, connections, wall, cpu)


def summarize(
    plan: dict[str, Any], tally: Tally, connections: list[Connection], wall: float, cpu: float
) -> dict[str, Any]:
    stats = ConnectionStats(
        connects=sum(c.stats.connects for c in connections),
        retries=sum(c.stats.retries for c in connections),
    )
    return {
        "product": plan["product"],
        "workload": plan["workload"],
        "clients": plan["clients"],
        "entries": plan["entries"],
        "operations": tally.operations,
        "requests": tally.requests,
        "errors": tally.errors,
        "error_samples": tally.error_samples,
        "complete": plan["workload"] != "create" or tally.operations == plan["entries"],
        "entries_seen": sorted(set(tally.entries_seen)),
        "seconds": wall,
        "throughput": tally.operations / wall if wall else 0.0,
        "p50_seconds": percentile(tally.latencies, 0.50),
        "p99_seconds": percentile(tally.latencies, 0.99),
        "connects": stats.connects,
        "retries": stats.retries,
        "load_client_cpu_seconds": cpu,
        "load_client_cpu_share": cpu / wall if wall else 0.0,
    }


def check_plan(plan: dict[str, Any]) -> None:
    """Refuse a plan that would not stop by itself or that is not one of ours."""
    if plan["product"] not in ("timetagger", "routinie"):
        raise SystemExit(f"unknown product {plan['product']!r}")
    if plan["workload"] not in ("create", "read"):
        raise SystemExit(f"unknown workload {plan['workload']!r}")
    if not 0 < plan["seconds"] <= MAX_SECONDS:
        raise SystemExit(f"seconds is between 0 and {MAX_SECONDS:.0f}: the run must stop by itself")
    if not 0 < plan["entries"] <= WEEK_SECONDS // 2:
        raise SystemExit("entries must fit in a week with distinct start times")
    if not 0 < plan["clients"] <= 256:
        raise SystemExit("clients is between 1 and 256")


def main() -> None:
    if len(sys.argv) > 1:
        plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    else:
        plan = json.load(sys.stdin)
    plan.setdefault("max_reads", 1_000_000)
    check_plan(plan)
    result = asyncio.run(run(plan))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["load_client_process_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["max_rss_mb"] = usage.ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
