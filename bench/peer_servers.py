"""The two servers of the TimeTagger comparison (`bench.peer`), each started the way its users
start it, on a free port on 127.0.0.1 with a fresh data directory, in its own session (process
group), and stopped with SIGTERM to the whole group (SIGKILL after a timeout).

- TimeTagger 26.1.3, installed from PyPI into its own virtual environment
  (`var/bench-peer/timetagger-venv`, reused while it holds that version) and run as its
  `__main__` runs it (`python -m timetagger`: uvicorn through asgineer), configured by its
  environment variables: TIMETAGGER_BIND, TIMETAGGER_DATADIR and TIMETAGGER_CREDENTIALS
  (`user:bcrypt-hash`). A client signs in at `POST /timetagger/api/v2/bootstrap_authentication`
  with a base64-encoded JSON body `{"method": "usernamepassword", "username", "password"}`,
  which answers a web token (two weeks); `GET /timetagger/api/v2/apitoken` with that token in the
  `authtoken` header answers a long-lived API token, the kind an API client uses.
- Routinie as `make run` starts it: `routinie migrate --noinput`, then `routinie serve --port N`
  (or `--routinie-command`), with DATA_DIR (SQLite, the embedded default) and EMAIL_URL=file:.
  One account is signed up through the API and given a personal API token. The project's
  `.venv` imports `routinie` from `src/` (an editable install); with a source snapshot,
  PYTHONPATH points the same commands at a copy of `src/routinie` taken when the run began, so
  every round runs the same code even while someone edits the checkout.
"""

import base64
import io
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.server import REPO, free_port

TIMETAGGER_VERSION = "26.1.3"
PEER_DIR = REPO / "var" / "bench-peer"
TIMETAGGER_VENV = PEER_DIR / "timetagger-venv"
ROUTINIE_BIN = REPO / ".venv" / "bin"
ROUTINIE_COMMAND = "{bin}/routinie serve --port {port}"
ROUTINIE_DROPPED_ENV = ("DATABASE_URL", "REDIS_URL")  # SQLite and local memory: the default
STARTUP_SECONDS = 120.0
STOP_SECONDS = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy, ever


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- TimeTagger's own virtual environment -----------------------------------------------------


def installed_timetagger(python: Path) -> str | None:
    """The TimeTagger version installed for `python`, or None."""
    if not python.exists():
        return None
    done = subprocess.run(  # noqa: S603 (the benchmark's own venv)
        [str(python), "-c", "import importlib.metadata as m; print(m.version('timetagger'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_timetagger(venv: Path = TIMETAGGER_VENV) -> Path:
    """The Python of a virtual environment holding TimeTagger 26.1.3 (made and filled when
    needed: `python3 -m venv`, then `pip install timetagger==26.1.3` from PyPI)."""
    python = venv / "bin" / "python"
    if installed_timetagger(python) == TIMETAGGER_VERSION:
        return python
    base = shutil.which("python3") or sys.executable
    log(f"installing timetagger=={TIMETAGGER_VERSION} into {venv}")
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)  # noqa: S603
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"timetagger=={TIMETAGGER_VERSION}"], check=True)  # noqa: S603
    found = installed_timetagger(python)
    if found != TIMETAGGER_VERSION:
        raise RuntimeError(f"timetagger {found} installed, {TIMETAGGER_VERSION} expected")
    return python


def bcrypt_hash(python: Path, password: str) -> str:
    """A bcrypt hash of `password`, made with TimeTagger's own bcrypt (for its credentials)."""
    code = (
        "import bcrypt, sys; "
        "print(bcrypt.hashpw(sys.stdin.read().encode(), bcrypt.gensalt()).decode())"
    )
    done = subprocess.run(  # noqa: S603 (the benchmark's own venv)
        [str(python), "-c", code], input=password, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


# --- Processes --------------------------------------------------------------------------------


@dataclass
class Running:
    """A server started in its own session; its port and log file."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_file: Path

    def session_pids(self) -> list[int]:
        """Every live process of the server's session (the server and what it started)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[3]) == self.process.pid:  # field 6, the session id
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self) -> float:
        """CPU time (user + system, children waited for included) of the session's processes."""
        ticks = 0
        for pid in self.session_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        return ticks / CLOCK_TICKS

    def connections_per_process(self) -> list[int]:
        """How many established connections to the server's port each of its processes holds
        (largest first; processes holding none left out): how the clients' persistent
        connections were spread over a multi-process server's workers."""
        wanted = established_inodes(self.port)
        counts = []
        for pid in self.session_pids():
            held = 0
            for fd in _fds(pid):
                with suppress(OSError):
                    target = os.readlink(fd)
                    held += target.startswith("socket:[") and int(target[8:-1]) in wanted
            if held:
                counts.append(held)
        return sorted(counts, reverse=True)

    def commands(self) -> list[str]:
        """The command lines of the session's processes (which server really ran)."""
        lines = []
        for pid in self.session_pids():
            try:
                raw = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            lines.append(
                " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
            )
        return lines


def _fds(pid: int) -> list[Path]:
    try:
        return list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return []


def established_inodes(port: int) -> set[int]:
    """The socket inodes of established TCP connections whose local port is `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                    inodes.add(int(fields[9]))
    return inodes


def start_session(
    command: list[str], env: dict[str, str], cwd: Path, log_file: Path
) -> subprocess.Popen[bytes]:
    """`command` in a new session, its output appended to `log_file`."""
    with log_file.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 (our own commands)
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_session(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole process group; SIGKILL to what is left after STOP_SECONDS."""
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)  # anyone left in the group?
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    if process.poll() is None:
        process.wait()


def http(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """One request to 127.0.0.1:port (urllib; setup only, never timed): (status, body)."""
    request = urllib.request.Request(  # http://127.0.0.1 only
        f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers or {}
    )
    try:
        with DIRECT.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(server: Running, path: str) -> None:
    """Wait until GET `path` answers 200; fail (naming the log) if the server exits or stalls."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}; log: {server.log_file}"
            )
        try:
            if http(server.port, "GET", path)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"{server.name} did not answer {path} within {STARTUP_SECONDS:.0f} s; "
        f"log: {server.log_file}"
    )


@contextmanager
def serving(
    name: str,
    command: list[str],
    env: dict[str, str],
    cwd: Path,
    log_file: Path,
    port: int,
    ready_path: str,
) -> Iterator[Running]:
    """A server started in its own session and ready; always stopped afterwards."""
    log(f"  starting {name}: {shlex.join(command)}")
    server = Running(name, start_session(command, env, cwd, log_file), port, log_file)
    try:
        wait_ready(server, ready_path)
        yield server
    finally:
        stop_session(server.process)


# --- TimeTagger -------------------------------------------------------------------------------


@contextmanager
def timetagger(python: Path, workdir: Path, credentials: str) -> Iterator[Running]:
    """TimeTagger as its `__main__` runs it, with a fresh data directory under `workdir`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMETAGGER_")}
    env.update(
        TIMETAGGER_BIND=f"127.0.0.1:{port}",
        TIMETAGGER_DATADIR=str(workdir / "data"),
        TIMETAGGER_CREDENTIALS=credentials,
    )
    command = [str(python), "-m", "timetagger"]
    with serving(
        "TimeTagger", command, env, workdir, workdir / "server.log", port, "/timetagger/status"
    ) as server:
        yield server


def timetagger_token(port: int, username: str, password: str) -> str:
    """A TimeTagger API token: sign in with the credentials (web token), then ask for one."""
    payload = {"method": "usernamepassword", "username": username, "password": password}
    body = base64.b64encode(json.dumps(payload).encode())
    status, answer = http(port, "POST", "/timetagger/api/v2/bootstrap_authentication", body)
    if status != 200:
        raise RuntimeError(f"TimeTagger sign-in -> {status} {answer[:200]!r}")
    webtoken = json.loads(answer)["token"]
    status, answer = http(
        port, "GET", "/timetagger/api/v2/apitoken", headers={"authtoken": webtoken}
    )
    if status != 200:
        raise RuntimeError(f"TimeTagger API token -> {status} {answer[:200]!r}")
    return str(json.loads(answer)["token"])


# --- Routinie ---------------------------------------------------------------------------------


def snapshot_source(destination: Path, commit: str | None = None) -> Path:
    """A copy of `src/routinie` under `destination`: the checkout's files as they are now
    (caches left out), or those of `commit` (`git archive`, read-only); the directory to put on
    PYTHONPATH so that `import routinie` finds the copy before the editable install."""
    root = destination / "src"
    if commit is None:
        shutil.copytree(
            REPO / "src" / "routinie",
            root / "routinie",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        return root
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", "--format=tar", commit, "src/routinie"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return root


def routinie_env(workdir: Path, source_root: Path | None) -> dict[str, str]:
    """`make run`'s environment with a fresh DATA_DIR: SQLite, e-mail to files; the source
    snapshot (if any) first on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ROUTINIE_DROPPED_ENV}
    env.update(DATA_DIR=str(workdir / "data"), EMAIL_URL="file:")
    env.setdefault("DEBUG", "0")  # as `make run` (DEBUG=${DEBUG:-0})
    if source_root is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source_root), env.get("PYTHONPATH")]))
    return env


def routinie_command(template: str, port: int, workdir: Path) -> list[str]:
    """The serve command from its template ({bin}: the project's .venv/bin, {port}, {data_dir})."""
    filled = template.format(bin=ROUTINIE_BIN, port=port, data_dir=workdir / "data")
    return shlex.split(filled)


@contextmanager
def routinie(
    workdir: Path, template: str = ROUTINIE_COMMAND, source_root: Path | None = None
) -> Iterator[Running]:
    """Routinie migrated, its static files collected and served as `make run` does (DEBUG off
    unless set), with a fresh data directory (and the
    code of `source_root`, a snapshot, when given)."""
    env = routinie_env(workdir, source_root)
    migrate_log = workdir / "migrate.log"
    with migrate_log.open("ab") as output:
        done = subprocess.run(  # noqa: S603 (the project's own command)
            [str(ROUTINIE_BIN / "routinie"), "migrate", "--noinput"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
        if done.returncode == 0:
            done = subprocess.run(  # noqa: S603 (the project's own command)
                [str(ROUTINIE_BIN / "routinie"), "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=REPO,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
    if done.returncode != 0:
        raise RuntimeError(
            f"routinie migrate/collectstatic failed ({done.returncode}): {migrate_log}"
        )
    port = free_port()
    command = routinie_command(template, port, workdir)
    with serving("Routinie", command, env, REPO, workdir / "server.log", port, "/") as server:
        yield server


def routinie_token(port: int, account: dict[str, Any]) -> str:
    """Sign one account up through the API and create a personal API token for it."""
    headers = {"Content-Type": "application/json"}
    signup = {**account, "accept_policy_version": 1}
    body = json.dumps(signup).encode()
    status, answer = http(port, "POST", "/api/v1/auth/signup", body, headers)
    if status != 201:
        raise RuntimeError(f"Routinie sign-up -> {status} {answer[:300]!r}")
    credentials = {
        "email": account["email"],
        "password": account["password"],
        "label": "peer benchmark",
    }
    status, answer = http(
        port, "POST", "/api/v1/auth/tokens", json.dumps(credentials).encode(), headers
    )
    if status != 201:
        raise RuntimeError(f"Routinie token -> {status} {answer[:300]!r}")
    return str(json.loads(answer)["token"])
