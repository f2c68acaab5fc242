"""`python -m bench.soak` (`make bench-soak`): the API mix for a long while at 80 % of the
throughput measured just before; no error, memory flat (issue 15).

1. A fresh database with production settings (`bench/database.py`): SQLite in a temporary
   DATA_DIR, or with `--database postgresql` a scratch database on the PostgreSQL server that
   DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/postgres), created and dropped
   here; the `small` data set (`bench/generate.py`: 1,000 users).
2. The server as `make run` starts it: `routinie serve --port <free port>` (gunicorn, two
   processes per CPU, the task worker beside them), in its own session; with `--redis-url`
   (or REDIS_URL set) it uses that Redis, as an operator running several workers would.
3. The API mix's throughput (`bench/load.py`, 32 clients, closed loop): 5 s of warm-up, then
   20 s measured; or given with `--rate`. The run's timer entries are removed afterwards.
4. The same mix at 80 % of it for `--minutes` (default 30), on one schedule over all clients;
   every 10 s the load generator reports the window (requests/s, p50/p95/p99, errors: any
   unexpected status, timeout or refused connection) and this process reads the VmRSS of every
   process in the server's session (each web worker, the task worker, the master) from /proc.

The server runs a copy of src/routinie taken when the run begins (as `bench.peer` does), so
editing or merging into the checkout during a 30-minute soak changes nothing under it.

It prints a line per sample as it goes, then the table and the verdict (`bench/soak_report.py`),
and writes bench/results/soak-<database>.json. The exit status is 1 when the verdict fails.

    python -m bench.soak                           # 30 minutes on SQLite
    python -m bench.soak --minutes 3 --dataset quick
    python -m bench.soak --database postgresql --redis-url redis://127.0.0.1:6379/0
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import generate as gen
from bench import peer_servers as servers
from bench.database import Database, fresh_database
from bench.peer import source_fingerprint
from bench.report import table, write_json
from bench.run import (
    database_version,
    git_commit,
    load_clients,
    load_command,
    machine,
    reset_load_users,
    run_load,
)
from bench.scenarios import log
from bench.server import REPO, free_port, rss_mb
from bench.soak_report import (
    Process,
    Sample,
    Verdict,
    judge,
    memory_table,
    rate_line,
    samples_table,
    summary_rows,
    verdict_lines,
)

RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
SHARE = 0.8  # of the measured throughput
WARMUP_SHARE = 0.1  # of the soak, left out of the memory verdict unless --warmup-seconds
LOAD_WARMUP_SECONDS = 5.0
SERVER_LOG_LINES = 40


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the soak")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or None, help="default: REDIS_URL"
    )
    parser.add_argument("--rate", type=float, help="requests/s (default: 80 %% of the measured)")
    parser.add_argument("--share", type=float, default=SHARE, help="of the measured throughput")
    parser.add_argument("--measure-seconds", type=float, default=20.0)
    parser.add_argument("--sample-seconds", type=float, default=10.0)
    parser.add_argument(
        "--warmup-seconds", type=float, help="left out of the memory verdict (default 10 %%)"
    )
    parser.add_argument("--dataset", choices=["quick", "small"], default="small")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the data directory and logs")
    args = parser.parse_args()
    seconds = args.minutes * 60
    if args.sample_seconds <= 0:
        parser.error("--sample-seconds must be above 0")
    if args.warmup_seconds is None:
        args.warmup_seconds = max(args.sample_seconds, WARMUP_SHARE * seconds)
    if not args.warmup_seconds + 3 * args.sample_seconds <= seconds <= 4 * 3600:
        parser.error("--minutes: three samples after the warm-up at least, 4 hours at most")
    if (args.rate is not None and args.rate <= 0) or not 0 < args.share <= 1:
        parser.error("--rate must be above 0 and --share between 0 and 1")
    if not 1 <= args.clients <= 64:
        parser.error("--clients is between 1 and 64 (the data set's sample users)")
    return args


def postgres_server_url() -> str:
    """The PostgreSQL server to make the scratch database on: DATABASE_URL's, or the default."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else POSTGRES_DEFAULT


@contextmanager
def serve(db: Database, redis_url: str | None, source: Path) -> Iterator[servers.Running]:
    """`routinie serve` (as `make run` starts it) on the run's database, in its own session,
    running the code under `source` (a copy of src/: edits to the checkout during a long soak
    reach no process); stopped afterwards (SIGTERM to the session, SIGKILL after 30 s)."""
    env = {k: v for k, v in os.environ.items() if k not in servers.ROUTINIE_DROPPED_ENV}
    env.update(db.env, LOG_LEVEL="INFO")  # production's default level
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    if redis_url:
        env["REDIS_URL"] = redis_url
    port = free_port()
    command = [str(Path(sys.executable).parent / "routinie"), "serve", "--port", str(port)]
    log_file = db.data_dir / "server.log"
    with servers.serving("Routinie", command, env, REPO, log_file, port, "/") as server:
        yield server


def measure(base_url: str, clients: str, args: argparse.Namespace) -> dict[str, Any]:
    """The API mix's throughput, closed loop, after a short warm-up."""
    log(f"warm-up {LOAD_WARMUP_SECONDS:.0f} s, then {args.measure_seconds:.0f} s measured")
    common = {"client": "raw", "clients": args.clients, "seed": args.seed}
    run_load(load_command(base_url, seconds=LOAD_WARMUP_SECONDS, **common), clients)
    measured: dict[str, Any] = run_load(
        load_command(base_url, seconds=args.measure_seconds, **common), clients
    )
    log(
        f"  {measured['throughput']:.1f} req/s, p50 {measured['p50_seconds'] * 1000:.1f} ms, "
        f"p99 {measured['p99_seconds'] * 1000:.1f} ms, {measured['errors']} errors"
    )
    return measured


def describe_process(pid: int, master: int) -> tuple[str, str]:
    """(what the process is, its command line) from /proc."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return "gone", ""
    command = " ".join(p.decode(errors="replace") for p in raw.split(b"\0") if p)
    if pid == master:
        return "routinie serve (gunicorn master)", command
    if "db_worker" in command:
        return "task worker", command
    if parent == master and (" serve " in f"{command} " or "gunicorn" in command):
        return "web worker", command
    words = command.split()
    module = words[words.index("-m") + 1] if "-m" in words[:-1] else ""
    name = module.rsplit(".", 1)[-1] or (Path(words[0]).name if words else "?")
    return f"other: {name}", command


class Watcher:
    """The server session's processes, named when first seen, and their VmRSS at each sample."""

    def __init__(self, server: servers.Running) -> None:
        self.server = server
        self.processes: dict[int, Process] = {}
        self.samples = 0

    def rss(self) -> dict[int, float]:
        sizes = {}
        for pid in self.server.session_pids():
            if pid not in self.processes:
                self._name(pid)
            size = rss_mb(pid)
            if size is not None:
                sizes[pid] = size
        self.samples += 1
        return sizes

    def _name(self, pid: int) -> None:
        label, command = describe_process(pid, self.server.process.pid)
        if label == "web worker":
            number = 1 + sum(p.label.startswith("web worker") for p in self.processes.values())
            label = f"web worker {number}"
        elif label in {p.label for p in self.processes.values()}:
            label = f"{label} (again)"
        self.processes[pid] = Process(pid, label, command, self.samples)

    def ordered(self) -> list[Process]:
        """Web workers first, then the task worker, the master and anything else."""
        return sorted(self.processes.values(), key=_place)


def _place(process: Process) -> tuple[int, int, int]:
    kinds = ("web worker", "task worker", "routinie serve")
    kind = next((i for i, k in enumerate(kinds) if process.label.startswith(k)), len(kinds))
    return kind, process.first_seen, process.pid


def soak(
    server: servers.Running, clients: str, rate: float, args: argparse.Namespace, work_dir: Path
) -> tuple[list[Sample], list[Process], dict[str, Any]]:
    """The mix at `rate` for --minutes: the samples, the processes seen, the generator's summary."""
    seconds = args.minutes * 60
    base_url = f"http://127.0.0.1:{server.port}"
    command = load_command(
        base_url, client="raw", clients=args.clients, seconds=seconds, seed=args.seed + 1
    )
    command += ["--rate", f"{rate:.3f}", "--sample-seconds", str(args.sample_seconds)]
    command += ["--max-requests", str(math.ceil(rate * seconds) + 1000)]
    watcher = Watcher(server)
    samples: list[Sample] = []
    rest = ""
    plan_file = work_dir / "load-plan.json"
    plan_file.write_text(clients, encoding="utf-8")
    with plan_file.open("rb") as plan, (work_dir / "load-generator.log").open("wb") as errors:
        process = subprocess.Popen(  # noqa: S603 (our interpreter, our module)
            command, stdin=plan, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=REPO
        )
        for line in process.stdout or ():
            if not line.startswith('{"window"'):
                rest += line
                continue
            window = json.loads(line)["window"]
            sample = Sample(
                elapsed_seconds=window["elapsed_seconds"],
                requests=window["requests"],
                throughput=window["throughput"],
                p50_seconds=window["p50_seconds"],
                p95_seconds=window["p95_seconds"],
                p99_seconds=window["p99_seconds"],
                errors=window["errors"],
                behind_seconds=window["behind_seconds"],
                rss_mb=watcher.rss(),
            )
            samples.append(sample)
            log(progress(sample, watcher.ordered()))
        process.wait()
    if process.returncode != 0:
        output = (work_dir / "load-generator.log").read_text()[-2000:]
        raise RuntimeError(f"load generator failed ({process.returncode}): {output}")
    return samples, watcher.ordered(), json.loads(rest)


def progress(sample: Sample, processes: list[Process]) -> str:
    minutes, seconds = divmod(round(sample.elapsed_seconds), 60)
    memory = " ".join(f"{sample.rss_mb.get(p.pid, 0):.0f}" for p in processes)
    return (
        f"  {minutes}:{seconds:02d} {sample.throughput:6.1f} req/s  p50/p95/p99 "
        f"{sample.p50_seconds * 1000:.0f}/{sample.p95_seconds * 1000:.0f}/"
        f"{sample.p99_seconds * 1000:.0f} ms  errors {sample.errors}  "
        f"behind {sample.behind_seconds:.2f} s  RSS MB {memory}"
    )


def server_log_tail(server: servers.Running) -> list[str]:
    lines = server.log_file.read_text(errors="replace").splitlines()
    return lines[-SERVER_LOG_LINES:]


def run(args: argparse.Namespace) -> tuple[dict[str, Any], list[Sample], list[Process]]:
    """Database, data, server, measurement, soak: everything the report needs."""
    server_url = "" if args.database == "sqlite" else postgres_server_url()
    with fresh_database(keep=args.keep, server_url=server_url) as db:
        log(f"database: {db.description}")
        db.setup_django()
        data = gen.generate(population=gen.POPULATIONS[args.dataset], heavy=None, seed=args.seed)
        log(f"data set {args.dataset}: {data.counts} in {data.seconds:.1f} s")
        clients, user_ids = load_clients(data, args.clients)
        version = database_version()
        from django.db import connections

        connections.close_all()
        source = servers.snapshot_source(db.data_dir)
        with serve(db, args.redis_url, source) as server:
            log(f"routinie serve on port {server.port} (log: {server.log_file})")
            measured, rate = None, args.rate
            if rate is None:
                measured = measure(f"http://127.0.0.1:{server.port}", clients, args)
                reset_load_users(user_ids, data.anchor)  # the measurement's timers and check-ins
                rate = args.share * measured["throughput"]
            log(
                f"soak: {rate:.1f} req/s for {args.minutes:g} min, a sample every "
                f"{args.sample_seconds:g} s"
            )
            samples, processes, summary = soak(server, clients, rate, args, db.data_dir)
            alive = server.process.poll() is None
            log_tail = server_log_tail(server)
        facts = {
            "database": version,
            "source": source_fingerprint(source),
            "counts": data.counts,
            "rate": rate,
            "measured": measured,
            "summary": summary,
            "server_alive_at_end": alive,
            "server_log_tail": log_tail,
        }
    return facts, samples, processes


def report(
    args: argparse.Namespace,
    meta: dict[str, Any],
    verdict: Verdict,
    samples: list[Sample],
    processes: list[Process],
) -> None:
    """Print the samples, the figures, each process's memory and the verdict."""
    summary, measured = meta["summary"], meta["measured"]
    where = (
        f"{args.share:.0%} of the {measured['throughput']:.1f} req/s measured"
        if measured
        else "--rate"
    )
    print(
        f"\nRoutinie soak: {meta['database']}, {args.minutes:g} min at {meta['rate']:.1f} req/s "
        f"({where}), {args.clients} clients, {summary['requests']:,} requests; "
        f"commit {meta['commit']} (source {meta['source']}); load generator CPU "
        f"{summary['load_generator_cpu_seconds'] / summary['seconds']:.0%} of a core; "
        f"load average {meta['load_average']['after'][0]:.1f}\n"
    )
    print(samples_table(samples, processes))
    print()
    print(table(summary_rows(samples, processes, verdict.errors)))
    print()
    print(memory_table(verdict, processes))
    print()
    error_samples = (measured or {}).get("error_samples", []) + summary["error_samples"]
    if error_samples:
        print("error samples:", *error_samples, sep="\n  ")
    if not meta["server_alive_at_end"]:
        print("! the server had exited before the end of the soak")
    print(rate_line(meta["rate"], summary["throughput"], samples[-1].behind_seconds))
    print("\n".join(verdict_lines(verdict, meta["warmup_samples"])))


def main() -> None:
    args = parse_args()
    started = datetime.now(UTC)
    began = time.perf_counter()
    load_before = os.getloadavg()
    facts, samples, processes = run(args)
    measured_errors = facts["measured"]["errors"] if facts["measured"] else 0
    errors = measured_errors + facts["summary"]["errors"]
    warmup_samples = math.ceil(args.warmup_seconds / args.sample_seconds)
    verdict = judge(samples, processes, errors, warmup_samples)
    rows = summary_rows(samples, processes, errors)
    meta = {
        "started_at": started.isoformat(timespec="seconds"),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "seconds": round(time.perf_counter() - began, 1),
        "commit": git_commit(),
        "machine": machine(),
        "options": vars(args),
        **facts,
        "warmup_samples": warmup_samples,
        "rate_held": facts["summary"]["throughput"] / facts["rate"],
        "verdict": verdict.as_json(),
        "processes": [asdict(p) for p in processes],
        "samples": [asdict(s) for s in samples],
    }
    report(args, meta, verdict, samples, processes)
    path = write_json(RESULTS / f"soak-{args.database}.json", rows, meta)
    print(f"\nwritten to {path.relative_to(REPO)}")
    sys.exit(0 if verdict.passed else 1)


if __name__ == "__main__":
    main()
