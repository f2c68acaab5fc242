"""`python -m bench.peer`: Routinie against TimeTagger 26.1.3 in the same run (issue 11, item 3).

Both products run on this machine one after the other, each as its users run it: TimeTagger
from PyPI in its own virtual environment (`var/bench-peer/timetagger-venv`, made on first use)
started by its `__main__` (uvicorn), Routinie as `make run` starts it (`routinie migrate`, then
`routinie serve`, SQLite). Each round gives each product a fresh data directory and one account
with its own API token, then runs the same two workloads with the same client code
(`bench.peer_load`, in its own process, 8 clients on keep-alive connections, 127.0.0.1 only):

- create: N one-record finished time entries inside one fixed past week (requests/s);
- read week: the whole week (every page), again and again (reads/s); every read is counted.

Rounds alternate which product goes first. The table gives each product's median (min-max)
and the ratio Routinie ÷ TimeTagger (median of the rounds' ratios) against the target 2.0;
the JSON goes to bench/results/peer-<timestamp>.json.

    python -m bench.peer                      # 3 rounds, 2,000 entries, 8 clients, ~3 min
    python -m bench.peer --quick              # 1 round, 200 entries, short reads (< 1 min)
    python -m bench.peer --routinie-command "{bin}/gunicorn routinie.wsgi -b 127.0.0.1:{port}"
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import peer_servers as servers
from bench.peer_load import MAX_SECONDS
from bench.report import Row, render, write_json
from bench.run import git_commit, machine
from bench.server import REPO

RESULTS = Path(__file__).resolve().parent / "results"
PRODUCTS = ("timetagger", "routinie")
NAMES = {"timetagger": "TimeTagger", "routinie": "Routinie"}
WORKLOADS = ("create", "read")
WORKLOAD_TITLES = {"create": "create", "read": "read week"}
UNITS = {"create": "req/s", "read": "reads/s"}
TARGET_RATIO = 2.0
SAMPLE_AFTER_SECONDS = 1.0  # when to look at how the connections are spread over processes
WEEK = date(2026, 11, 2)  # a Monday in the past: the fixed week of every entry
USERNAME = "peer"
PASSWORD = "correct-horse-battery-9"  # a throwaway account in a temporary database
ACCOUNT = {"name": "Peer Bench", "email": "peer@example.com", "password": PASSWORD}


@dataclass(frozen=True)
class Plan:
    rounds: int = 3
    entries: int = 2000
    clients: int = 8
    read_seconds: float = 20.0
    reads: int = 5000
    create_seconds: float = MAX_SECONDS
    routinie_command: str = servers.ROUTINIE_COMMAND
    snapshot: bool = True  # run Routinie from a copy of src/ taken when the run begins
    commit: str | None = None  # ... or from this commit's src/ (git archive)
    week: date = WEEK


QUICK = Plan(rounds=1, entries=200, read_seconds=4.0, reads=500)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round, 200 entries, short reads")
    parser.add_argument("--rounds", type=int, help="rounds (default 3; the order alternates)")
    parser.add_argument("--entries", type=int, help="entries created, then read (default 2000)")
    parser.add_argument("--clients", type=int, help="concurrent clients (default 8)")
    parser.add_argument("--read-seconds", type=float, help="time bound of the reads (default 20)")
    parser.add_argument("--reads", type=int, help="count bound of the reads (default 5000)")
    parser.add_argument(
        "--routinie-command",
        help="Routinie's serve command ({bin}: .venv/bin, {port}, {data_dir}); "
        f"default {servers.ROUTINIE_COMMAND!r}, as `make run`",
    )
    parser.add_argument(
        "--live-source",
        action="store_true",
        help="run Routinie from the checkout itself, not from a copy of src/ taken at the start "
        "(edits made during the run then reach later rounds)",
    )
    parser.add_argument(
        "--commit", help="run Routinie from this commit's src/ (git archive), e.g. HEAD"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directories and logs")
    return parser.parse_args()


def plan_from(args: argparse.Namespace) -> Plan:
    """The plan: --quick or the defaults, then each option given."""
    plan = QUICK if args.quick else Plan()
    given = {
        "rounds": args.rounds,
        "entries": args.entries,
        "clients": args.clients,
        "read_seconds": args.read_seconds,
        "reads": args.reads,
        "routinie_command": args.routinie_command,
    }
    plan = replace(plan, **{k: v for k, v in given.items() if v is not None})
    if args.live_source and args.commit:
        raise SystemExit("--live-source and --commit exclude each other")
    if args.live_source:
        plan = replace(plan, snapshot=False)
    if args.commit:
        plan = replace(plan, commit=resolve_commit(args.commit))
    if plan.rounds < 1 or plan.entries < 1 or plan.clients < 1 or plan.reads < 1:
        raise SystemExit("--rounds, --entries, --clients and --reads must be at least 1")
    if not 0 < plan.read_seconds <= MAX_SECONDS:
        raise SystemExit(f"--read-seconds is between 0 and {MAX_SECONDS:.0f}")
    return plan


def resolve_commit(name: str) -> str:
    """The short hash of a commit name (HEAD, a branch, a hash); exits when there is none."""
    if name.startswith("-"):
        raise SystemExit(f"--commit {name}: not a commit name")
    done = subprocess.run(  # noqa: S603 (git with a checked revision name)
        ["git", "rev-parse", "--short", "--verify", f"{name}^{{commit}}"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"--commit {name}: no such commit")
    return done.stdout.strip()


def source_description(plan: Plan) -> str:
    """Where Routinie's code came from in this run."""
    if plan.commit:
        return f"commit {plan.commit} (git archive)"
    if plan.snapshot:
        return "snapshot of the checkout's src/ at the start"
    return "live checkout"


# --- One product, one round -------------------------------------------------------------------


def run_load(
    plan: Plan, product: str, server: servers.Running, token: str, workload: str, workdir: Path
) -> dict[str, Any]:
    """One workload from a separate load-generator process; its JSON summary, with how the
    clients' connections were spread over the server's processes a second into it."""
    seconds = plan.create_seconds if workload == "create" else plan.read_seconds
    load_plan = {
        "product": product,
        "port": server.port,
        "token": token,
        "workload": workload,
        "entries": plan.entries,
        "clients": plan.clients,
        "week": plan.week.isoformat(),
        "seconds": seconds,
        "max_reads": plan.reads,
    }
    plan_file = workdir / f"load-{workload}.json"
    plan_file.write_text(json.dumps(load_plan), encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.peer_load", str(plan_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    spread: list[int] = []
    try:
        process.wait(timeout=SAMPLE_AFTER_SECONDS)
    except subprocess.TimeoutExpired:
        spread = server.connections_per_process()
    try:
        stdout, stderr = process.communicate(timeout=seconds + 300)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed ({process.returncode}):\n{stderr}")
    result: dict[str, Any] = json.loads(stdout)
    result["connections_per_server_process"] = spread
    return result


@dataclass(frozen=True)
class Setup:
    """What every round reuses: TimeTagger's Python and credentials, Routinie's source."""

    timetagger_python: Path
    credentials: str
    routinie_source: Path  # the snapshot's src/ (or the checkout's)
    snapshot: bool


def prepare(plan: Plan, run_dir: Path) -> Setup:
    """TimeTagger installed (once), its credentials hashed, Routinie's source copied (once)."""
    python = servers.ensure_timetagger()
    credentials = f"{USERNAME}:{servers.bcrypt_hash(python, PASSWORD)}"
    source = servers.snapshot_source(run_dir, plan.commit) if plan.snapshot else REPO / "src"
    return Setup(python, credentials, source, plan.snapshot)


def start_product(
    product: str, plan: Plan, workdir: Path, setup: Setup
) -> AbstractContextManager[servers.Running]:
    """The product's server, started fresh in `workdir` (not yet signed in)."""
    if product == "timetagger":
        return servers.timetagger(setup.timetagger_python, workdir, setup.credentials)
    source_root = setup.routinie_source if setup.snapshot else None
    return servers.routinie(workdir, plan.routinie_command, source_root)


def machine_busy_seconds() -> float:
    """CPU seconds this machine has spent busy since boot, all cores (/proc/stat: not idle or
    waiting for I/O); the difference over a workload, less the server's and the load client's,
    is what other work took from the machine meanwhile."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / servers.CLOCK_TICKS


def source_fingerprint(root: Path) -> str:
    """A short hash of the Routinie source under `root` as it is now (the checkout is editable
    and may change between rounds: each Routinie run records the code it started with)."""
    digest = hashlib.sha256()
    source = root / "routinie"
    for path in sorted(source.rglob("*.py")):
        digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def sign_in(product: str, port: int) -> str:
    """The API token of the round's one account (made now on Routinie, configured on TimeTagger)."""
    if product == "timetagger":
        return servers.timetagger_token(port, USERNAME, PASSWORD)
    return servers.routinie_token(port, ACCOUNT)


def run_product(product: str, plan: Plan, workdir: Path, setup: Setup) -> dict[str, Any]:
    """Start the product fresh, sign in, create the week, read it; stop it. What was measured."""
    workdir.mkdir(parents=True)
    result: dict[str, Any] = {"product": product, "workdir": str(workdir)}
    if product == "routinie":
        result["source"] = source_fingerprint(setup.routinie_source)
    with start_product(product, plan, workdir, setup) as server:
        token = sign_in(product, server.port)
        for workload in WORKLOADS:
            cpu_before, busy_before = server.cpu_seconds(), machine_busy_seconds()
            outcome = run_load(plan, product, server, token, workload, workdir)
            outcome["server_cpu_seconds"] = server.cpu_seconds() - cpu_before
            outcome["machine_busy_seconds"] = machine_busy_seconds() - busy_before
            result[workload] = outcome
            servers.log(f"    {NAMES[product]} {WORKLOAD_TITLES[workload]}: {describe(outcome)}")
        result["server_commands"] = server.commands()
        result["server_log_head"] = log_head(server.log_file)
    return result


def describe(outcome: dict[str, Any]) -> str:
    """A one-line account of a workload's outcome."""
    unit = UNITS[outcome["workload"]]
    return (
        f"{outcome['throughput']:,.1f} {unit} "
        f"({outcome['operations']} in {outcome['seconds']:.1f} s, "
        f"{outcome['errors']} errors, load client CPU {outcome['load_client_cpu_seconds']:.1f} s, "
        f"server CPU {outcome['server_cpu_seconds']:.1f} s)"
    )


def run_rounds(plan: Plan, run_dir: Path) -> list[dict[str, Any]]:
    """Every round, alternating which product goes first; each product's result per round."""
    setup = prepare(plan, run_dir)
    results = []
    for number in range(1, plan.rounds + 1):
        order = PRODUCTS if number % 2 else PRODUCTS[::-1]
        servers.log(f"round {number}/{plan.rounds}: {' then '.join(NAMES[p] for p in order)}")
        for product in order:
            workdir = run_dir / f"round-{number}" / product
            outcome = run_product(product, plan, workdir, setup)
            results.append({"round": number, **outcome})
    return results


# --- The table ----------------------------------------------------------------------------------


def values(results: list[dict[str, Any]], product: str, workload: str) -> list[float]:
    """The product's throughput in the workload, one value per round (in round order)."""
    return [r[workload]["throughput"] for r in results if r["product"] == product]


def rows_of(results: list[dict[str, Any]]) -> list[Row]:
    """Per workload: each product's throughput, and the rounds' ratios Routinie ÷ TimeTagger."""
    rows = []
    for workload in WORKLOADS:
        title = WORKLOAD_TITLES[workload]
        tt, rt = values(results, "timetagger", workload), values(results, "routinie", workload)
        ratios = [r / t if t else float("nan") for r, t in zip(rt, tt, strict=True)]
        rows += [
            Row(title, "TimeTagger", UNITS[workload], tt, better="higher"),
            Row(title, "Routinie", UNITS[workload], rt, better="higher"),
            Row(title, "Routinie ÷ TimeTagger", "ratio", ratios, TARGET_RATIO, better="higher"),
        ]
    return rows


def spread(values: list[float], decimals: int) -> str:
    return f"{min(values):,.{decimals}f}-{max(values):,.{decimals}f}"


def summary_table(rows: list[Row]) -> str:
    """Workload, each product's median (min-max), the ratio, the target and whether it is met."""
    lines = []
    for start in range(0, len(rows), 3):
        tt, rt, ratio = rows[start : start + 3]
        decimals = 0 if min(tt.values + rt.values) >= 100 else 1
        lines.append(
            [
                f"{tt.scenario} ({tt.unit})",
                f"{tt.median:,.{decimals}f}",
                spread(tt.values, decimals),
                f"{rt.median:,.{decimals}f}",
                spread(rt.values, decimals),
                f"{ratio.median:.2f}x",
                spread(ratio.values, 2),
                f">= {TARGET_RATIO:.1f}x",
                "yes" if ratio.met else "NO",
            ]
        )
    headers = [
        "workload",
        "TimeTagger",
        "min-max",
        "Routinie",
        "min-max",
        "Routinie ÷ TimeTagger",
        "min-max",
        "target",
        "met?",
    ]
    return render(headers, lines)


def cost_table(results: list[dict[str, Any]]) -> str:
    """Per product and workload: errors, load client CPU against wall time, server CPU, the CPU
    other work took from the machine meanwhile (it is shared), latency, connections opened."""
    lines = []
    for workload in WORKLOADS:
        for product in PRODUCTS:
            runs = [r[workload] for r in results if r["product"] == product]
            load_cpu = sum(r["load_client_cpu_seconds"] for r in runs)
            load_process = sum(r["load_client_process_cpu_seconds"] for r in runs)
            server_cpu = sum(r["server_cpu_seconds"] for r in runs)
            busy = sum(r["machine_busy_seconds"] for r in runs)
            wall = sum(r["seconds"] for r in runs)
            lines.append(
                [
                    f"{WORKLOAD_TITLES[workload]}, {NAMES[product]}",
                    str(sum(r["operations"] for r in runs)),
                    str(sum(r["errors"] for r in runs)),
                    f"{load_cpu:.1f} / {wall:.1f} s ({load_cpu / wall:.0%})",
                    f"{server_cpu:.1f} s",
                    f"{max(0.0, busy - server_cpu - load_process):.1f} s",
                    f"{statistics.median(r['p50_seconds'] for r in runs) * 1000:,.0f} ms",
                    f"{statistics.median(r['p99_seconds'] for r in runs) * 1000:,.0f} ms",
                    f"{sum(r['connects'] for r in runs)}: "
                    + ", ".join(spread_text(r["connections_per_server_process"]) for r in runs),
                ]
            )
    headers = [
        "workload, product",
        "operations",
        "errors",
        "load client CPU / wall",
        "server CPU",
        "other CPU",
        "p50",
        "p99",
        "connections: per server process, each round",
    ]
    return render(headers, lines)


def spread_text(counts: list[int]) -> str:
    """Connections per server process as "4+4" ("-" when not sampled: the run was too short)."""
    return "+".join(str(c) for c in counts) if counts else "-"


def problems(results: list[dict[str, Any]]) -> list[str]:
    """Whatever makes a figure doubtful: errors, unfinished creates, retried requests."""
    found = []
    sources = sorted({r["source"] for r in results if r["product"] == "routinie"})
    if len(sources) > 1:
        found.append(f"Routinie's source changed between rounds ({', '.join(sources)})")
    for r in results:
        for workload in WORKLOADS:
            outcome = r[workload]
            where = f"round {r['round']}, {NAMES[r['product']]} {WORKLOAD_TITLES[workload]}"
            if outcome["errors"]:
                found.append(
                    f"{where}: {outcome['errors']} errors, e.g. {outcome['error_samples'][:3]}"
                )
            if not outcome["complete"]:
                found.append(f"{where}: only {outcome['operations']} of {outcome['entries']} sent")
            if outcome["retries"]:
                found.append(f"{where}: {outcome['retries']} requests resent on a fresh connection")
    return found


def routinie_server(results: list[dict[str, Any]]) -> str:
    """Which web server Routinie ran on, from what its log says and its processes' commands."""
    runs = [r for r in results if r["product"] == "routinie"]
    said = "\n".join(line for r in runs for line in r["server_log_head"])
    commands = "\n".join(c for r in runs for c in r["server_commands"])
    processes = max(len(r["server_commands"]) for r in runs)
    if "Starting development server" in said:
        return f"Django runserver ({processes} processes with the task worker)"
    if "gunicorn" in said.lower() or "gunicorn" in commands or "Web server:" in said:
        return f"gunicorn ({processes} processes with the task worker)"
    return f"unknown ({processes} processes)"


def log_head(path: Path, lines: int = 12) -> list[str]:
    """The first lines of a server's log (what it said it runs on)."""
    with path.open(encoding="utf-8", errors="replace") as text:
        return [line.rstrip("\n") for _, line in zip(range(lines), text, strict=False)]


def filesystem_of(path: Path) -> str:
    """The type and device of the mount holding `path` (fsync costs differ: tmpfs, ext4, ...)."""
    best = ("", "unknown", "unknown")
    for line in Path("/proc/mounts").read_text().splitlines():
        device, mount, kind = line.split()[:3]
        if path.is_relative_to(mount) and len(mount) >= len(best[0]):
            best = (mount, kind, device)
    return f"{best[1]} ({best[2]} on {best[0]})"


# --- Main ---------------------------------------------------------------------------------------


def checkout_changes() -> list[str]:
    """`git status --short` of src/ when the run ends (what the checkout held beyond HEAD)."""
    done = subprocess.run(
        ["git", "status", "--short", "--", "src"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.splitlines()


def report(plan: Plan, results: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Print the summary, the cost table and every doubt about the figures."""
    sources = ", ".join(sorted({r["source"] for r in results if r["product"] == "routinie"}))
    print(
        f"\nRoutinie vs TimeTagger {servers.TIMETAGGER_VERSION}: {plan.rounds} rounds, "
        f"{plan.entries:,} entries, {plan.clients} clients; Routinie on {meta['routinie_server']}, "
        f"commit {meta['commit']}, source {sources} ({meta['routinie_source']}); "
        f"data on {meta['data_filesystem']}; "
        f"{meta['seconds']} s\n"
    )
    print(summary_table(rows_of(results)))
    print()
    print(cost_table(results))
    for problem in meta["problems"]:
        print(f"! {problem}")


def main() -> None:
    args = parse_args()
    plan = plan_from(args)
    started = datetime.now(UTC)
    began = time.perf_counter()
    load_before = os.getloadavg()
    run_dir = Path(tempfile.mkdtemp(prefix="routinie-peer-"))
    servers.log(f"peer benchmark: {asdict(plan)}; servers' data and logs in {run_dir}")
    try:
        results = run_rounds(plan, run_dir)
    except BaseException:
        servers.log(f"\nfailed: the servers' logs are kept in {run_dir}")
        raise
    meta = {
        "started_at": started.isoformat(timespec="seconds"),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "seconds": round(time.perf_counter() - began, 1),
        "commit": git_commit(),
        "machine": machine(),
        "plan": {**asdict(plan), "week": plan.week.isoformat()},
        "timetagger": servers.TIMETAGGER_VERSION,
        "routinie_server": routinie_server(results),
        "data_filesystem": filesystem_of(run_dir),
        "routinie_source": source_description(plan),
        "checkout_changes": checkout_changes(),
        "problems": problems(results),
        "rounds": results,
    }
    report(plan, results, meta)
    path = write_json(RESULTS / f"peer-{started:%Y%m%dT%H%M%SZ}.json", rows_of(results), meta)
    print(f"\nwritten to {path.relative_to(REPO)}")
    if args.keep:
        print(f"data directories and logs kept in {run_dir}")
    else:
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
