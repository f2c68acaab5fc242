"""`make bench`: generate a data set into a fresh database, time the scenarios of
../shared/design/performance.md that this machine can run, print one table and write it as JSON
to bench/results/<timestamp>.json.

    python -m bench.run            # small (1,000 users) + heavy user (73,000 entries), ~10 min
    python -m bench.run --quick    # reduced, for a CI smoke run (well under 2 minutes)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.run
        # on PostgreSQL, in a scratch database routinie_bench_<pid> created and dropped here
    DATABASE_URL=postgres://… python -m bench.run --dataset full --reuse
        # 500,000 users loaded with COPY into routinie_bench_full_s<seed>, kept (bench/datasets.py)

Medians over several runs; ratios are measured in the same run. Nothing here asserts a time.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import generate as gen
from bench.database import Database
from bench.datasets import prepared
from bench.report import Row, table, write_json
from bench.scale import NOTICE_WORKERS, scale_rows
from bench.scenarios import export_rows, list_rows, log, summary_rows
from bench.server import REPO, Server, gunicorn
from routinie.core.web_server import PROCESSES_PER_CPU, cpu_count

RESULTS = Path(__file__).resolve().parent / "results"
LOAD_THROUGHPUT_TARGET = 800.0
LOAD_P99_TARGET = 0.030
WORKER_RSS_TARGET_MB = 120.0


@dataclass(frozen=True)
class Plan:
    population: str
    heavy: str
    repeats: int
    load_runs: int
    load_seconds: float
    warmup_seconds: float
    clients: int = 32
    # As `routinie serve` (what `make run` starts) and deploy/gunicorn.conf.py: two per CPU.
    workers: int = PROCESSES_PER_CPU * cpu_count()
    client: str = "raw"  # the load generator's HTTP client: raw or httpx


QUICK = Plan("quick", "heavy-quick", repeats=3, load_runs=3, load_seconds=5, warmup_seconds=2)
DEFAULT = Plan("small", "heavy", repeats=5, load_runs=5, load_seconds=20, warmup_seconds=5)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="reduced data and load (CI smoke)")
    parser.add_argument("--seed", type=int, default=1, help="data generator seed")
    parser.add_argument("--anchor", type=date.fromisoformat, help="data's last day (default today)")
    parser.add_argument("--repeats", type=int, help="timed runs per in-process scenario")
    parser.add_argument("--load-runs", type=int, help="measured load runs")
    parser.add_argument("--load-seconds", type=float, help="length of each load run")
    parser.add_argument("--client", choices=["raw", "httpx"], help="load generator HTTP client")
    parser.add_argument("--skip-load", action="store_true", help="only the in-process scenarios")
    parser.add_argument(
        "--skip-scale", action="store_true", help="leave out bench/scale.py's scenarios"
    )
    parser.add_argument(
        "--notice-workers", type=int, default=NOTICE_WORKERS, help="task workers for the notices"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile of each scenario")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite directory and logs")
    parser.add_argument("--dataset", choices=sorted(gen.POPULATIONS), help="default small/quick")
    parser.add_argument("--reuse", action="store_true", help="full: reuse the kept database")
    return parser.parse_args()


def plan_from(args: argparse.Namespace) -> Plan:
    plan = QUICK if args.quick else DEFAULT
    changes = {
        "repeats": args.repeats or plan.repeats,
        "load_runs": args.load_runs or plan.load_runs,
        "load_seconds": args.load_seconds or plan.load_seconds,
        "client": args.client or plan.client,
        "population": args.dataset or plan.population,
    }
    return Plan(**{**asdict(plan), **changes})


def token_for(user_id: Any, label: str) -> str:
    from routinie.accounts.models import User
    from routinie.accounts.services import create_api_token

    return create_api_token(user=User.objects.get(pk=user_id), label=label)[1]


def in_process_rows(data: gen.Generated, plan: Plan, with_profile: bool) -> list[Row]:
    from routinie.accounts.models import User

    if data.heavy_user_id is None:
        raise ValueError("the in-process scenarios need a heavy user")
    heavy = User.objects.get(pk=data.heavy_user_id)
    ordinary = User.objects.get(pk=data.sample_users[0].id)
    heavy_token = token_for(heavy.pk, "bench heavy")
    ordinary_token = token_for(ordinary.pk, "bench ordinary")
    log("heavy user: year summary")
    rows = summary_rows(heavy, ordinary, plan.repeats, with_profile)
    log("heavy user: entries list")
    rows += list_rows(heavy, heavy_token, ordinary_token, plan.repeats, with_profile)
    log("heavy user: full export")
    rows += export_rows(heavy_token, str(heavy.pk), plan.repeats, with_profile)
    return rows


def reset_load_users(user_ids: list[Any], anchor: date) -> None:
    """Remove what earlier load runs wrote (timer entries, today's check-ins): each run starts
    from the same data, so runs are comparable."""
    from django.db import connections

    from bench.load import TIMER_DESCRIPTION
    from routinie.tracking.models import CheckIn, TimeEntry

    TimeEntry.objects.filter(user_id__in=user_ids, description=TIMER_DESCRIPTION).delete()
    CheckIn.objects.filter(user_id__in=user_ids, date__gte=anchor).delete()
    connections.close_all()


def load_command(
    base_url: str, *, client: str, clients: int, seconds: float, seed: int, mix: str = "api"
) -> list[str]:
    """The load generator's command line (`bench/load.py`, run in its own process)."""
    command = [sys.executable, "-m", "bench.load", "--base-url", base_url, "--mix", mix]
    command += ["--client", client, "--clients", str(clients)]
    return [*command, "--seconds", str(seconds), "--seed", str(seed)]


def run_load(command: list[str], clients: str) -> Any:
    """Run the load generator to its end with the plan `clients` on stdin; its JSON summary."""
    done = subprocess.run(  # noqa: S603 (our interpreter, our module)
        command, input=clients, capture_output=True, text=True, cwd=REPO, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def load_once(
    server: Server, plan: Plan, clients: str, seconds: float, seed: int, mix: str = "api"
) -> Any:
    """One bounded run of the load generator (its own process) against `server`."""
    command = load_command(
        server.base_url,
        client=plan.client,
        clients=plan.clients,
        seconds=seconds,
        seed=seed,
        mix=mix,
    )
    return run_load(command, clients)


@dataclass
class LoadRun:
    mix: dict[str, Any]  # the API mix against Routinie
    baseline: dict[str, Any]  # GET /api/v1/me against Routinie
    ceiling: dict[str, Any]  # a bare WSGI app on the same gunicorn configuration
    worker_rss_mb: float
    server_times: dict[str, list[float]]


def load_clients(data: gen.Generated, count: int) -> tuple[str, list[Any]]:
    """The load generator's plan (one user, token and routines per client) and the user ids."""
    users = data.sample_users[:count]
    clients = [
        {
            "token": token_for(u.id, "bench load"),
            "timezone": u.timezone,
            "routine_ids": [str(r) for r in u.routine_ids],
        }
        for u in users
    ]
    return json.dumps({"clients": clients}), [u.id for u in users]


def measure_run(server: Server, hello: Server, plan: Plan, clients: str, seed: int) -> LoadRun:
    offset = server.access_log_size()
    mix = load_once(server, plan, clients, plan.load_seconds, seed)
    time.sleep(0.3)  # let the access log catch up
    times = server.server_times(offset)
    rss = max(server.worker_rss_mb())
    short = max(3.0, plan.load_seconds / 4)
    baseline = load_once(server, plan, clients, short, seed, mix="baseline")
    ceiling = load_once(hello, plan, clients, short, seed, mix="hello")
    log(
        f"  run {seed}: {mix['throughput']:.0f} req/s, p50 {mix['p50_seconds'] * 1000:.1f} ms, "
        f"p99 {mix['p99_seconds'] * 1000:.1f} ms, {mix['errors']} errors, worker RSS "
        f"{rss:.1f} MB; GET /api/v1/me {baseline['throughput']:.0f} req/s, "
        f"bare WSGI {ceiling['throughput']:.0f} req/s"
    )
    return LoadRun(mix, baseline, ceiling, rss, times)


def under_load(db: Database, data: gen.Generated, plan: Plan) -> list[Row]:
    """The API mix against gunicorn (production settings), and the workers' memory after it."""
    from django.db import connections

    clients, user_ids = load_clients(data, plan.clients)
    token = json.loads(clients)["clients"][0]["token"]
    connections.close_all()
    runs = []
    env = {"LOG_LEVEL": "INFO"}  # production's default
    hello_app = "bench.hello_wsgi:application"
    with (
        gunicorn(workers=plan.workers, log_dir=db.data_dir, env=env) as server,
        gunicorn(workers=plan.workers, log_dir=db.data_dir, env=env, app=hello_app) as hello,
    ):
        server.wait_ready(token)
        hello.wait_ready(token, path="/")
        log(f"API mix: gunicorn on {server.base_url}, warm-up {plan.warmup_seconds:.0f} s")
        load_once(server, plan, clients, plan.warmup_seconds, seed=0)
        for run in range(1, plan.load_runs + 1):
            reset_load_users(user_ids, data.anchor)
            runs.append(measure_run(server, hello, plan, clients, seed=run))
    return load_rows(runs, plan)


def load_rows(runs: list[LoadRun], plan: Plan) -> list[Row]:
    from bench.load import percentile

    name = f"API mix: {plan.clients} clients, gunicorn {plan.workers} workers"
    throughput = Row(name, "throughput", "req/s", [r.mix["throughput"] for r in runs])
    throughput.target, throughput.better = LOAD_THROUGHPUT_TARGET, "higher"
    throughput.details = {"runs": [asdict(r) | {"server_times": None} for r in runs]}
    rows = [
        throughput,
        Row(
            name,
            "GET /api/v1/me alone: throughput",
            "req/s",
            [r.baseline["throughput"] for r in runs],
        ),
        Row(name, "bare WSGI app: throughput", "req/s", [r.ceiling["throughput"] for r in runs]),
        Row(
            name,
            "throughput, mix / GET /api/v1/me",
            "ratio",
            [r.mix["throughput"] / r.baseline["throughput"] for r in runs],
        ),
        Row(
            name,
            "throughput, mix / bare WSGI app",
            "ratio",
            [r.mix["throughput"] / r.ceiling["throughput"] for r in runs],
        ),
        Row(name, "latency p50", "ms", [r.mix["p50_seconds"] for r in runs]),
        Row(name, "latency p99", "ms", [r.mix["p99_seconds"] for r in runs], LOAD_P99_TARGET),
        Row(name, "errors", "count", [r.mix["errors"] for r in runs], 0, judge="worst"),
    ]
    every = [[t for ts in r.server_times.values() for t in ts] for r in runs]
    rows.append(
        Row(name, "server time p50 (access log)", "ms", [percentile(e, 0.5) for e in every])
    )
    rows.append(
        Row(name, "server time p99 (access log)", "ms", [percentile(e, 0.99) for e in every])
    )
    for op in ("timer_start", "timer_stop", "today", "checkin", "week"):
        values = [percentile(r.server_times.get(op, []), 0.99) for r in runs]
        rows.append(Row(name, f"server time p99: {op}", "ms", values))
    cpu = [100 * r.mix["load_generator_cpu_seconds"] / r.mix["seconds"] for r in runs]
    rows.append(Row(name, "load generator CPU (of one core)", "%", cpu))
    memory = Row("one web worker", "VmRSS after the load", "MB", [r.worker_rss_mb for r in runs])
    memory.target = WORKER_RSS_TARGET_MB
    memory.details["how"] = "largest of the workers' VmRSS (/proc/<pid>/status) after each run"
    return [*rows, memory]


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": models[0] if models else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def benchmark(args: argparse.Namespace, plan: Plan) -> tuple[list[Row], dict[str, Any]]:
    log(f"data: {plan.population} + {plan.heavy} (seed {args.seed})")
    with prepared(
        plan.population,
        plan.heavy,
        seed=args.seed,
        anchor=args.anchor,
        reuse=args.reuse,
        keep=args.keep,
    ) as (db, data):
        log(f"database: {db.description}; {data.counts} in {data.seconds:.1f} s")
        rows = [Row("data set", f"generate {plan.population} + {plan.heavy}", "s", [data.seconds])]
        rows[0].details = {"counts": data.counts}
        rows += in_process_rows(data, plan, args.profile)
        if not args.skip_load:
            rows += under_load(db, data, plan)
        if not args.skip_scale:  # last: the heavy user's erasure ends it
            rows += scale_rows(db, data.heavy_user_id, args.notice_workers)
        meta = {
            "database": database_version(),
            "dataset": {"population": plan.population, "heavy": plan.heavy},
            "counts": data.counts,
            "seed": data.seed,
            "anchor": data.anchor.isoformat(),
        }
    return rows, meta


def result_name(plan: Plan, meta: dict[str, Any], started: datetime) -> str:
    """`full-postgresql.json` for the full data set (the figures the README quotes, committed:
    each full run replaces them), a timestamped file for the others (kept local)."""
    if plan.population == "full":
        return f"full-{str(meta['database']).split()[0]}.json"
    return f"{started:%Y%m%dT%H%M%SZ}.json"


def main() -> None:
    args = parse_args()
    plan = plan_from(args)
    started = datetime.now(UTC)
    began = time.perf_counter()
    load_before = os.getloadavg()
    rows, meta = benchmark(args, plan)
    meta = {
        "started_at": started.isoformat(timespec="seconds"),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "seconds": round(time.perf_counter() - began, 1),
        "commit": git_commit(),
        "machine": machine(),
        "plan": asdict(plan),
        **meta,
    }
    print(
        f"\nRoutinie benchmark: {meta['database']}, {plan.population} + {plan.heavy}, "
        f"medians of {plan.repeats} runs ({plan.load_runs} for load), {meta['seconds']} s\n"
    )
    print(table(rows))
    path = write_json(RESULTS / result_name(plan, meta, started), rows, meta)
    print(f"\nwritten to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
