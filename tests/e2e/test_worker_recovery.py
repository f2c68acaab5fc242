"""A task worker killed while it builds an export (issue 15), black-box: `routinie serve` starts
the worker again, the task its dead worker left running is taken again once its heartbeat is
older than the (short, test-configured) timeout, the export finishes and downloads as a valid
zip, and no partial file stays on disk.

The export is held at a known point by EXPORT_TEST_GATE (a file: while it exists, a building
export waits after each table), so the kill lands mid-build without any timing."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.e2e.commands import file_database_env, routinie
from tests.e2e.site_client import Site, api_sign_up, api_token
from tests.smtp_sink import free_port

LOST_AFTER = 3.0  # seconds without a heartbeat before a running task is taken again
DEADLINE = 90.0  # generous: the machine may be busy; nothing here is a timed assertion


def _until(predicate: Callable[[], bool], seconds: float = DEADLINE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _children(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them."""
    found = []
    for thread in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (thread / "children").read_text().split()]
        except FileNotFoundError:  # the thread ended
            continue
    return found


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def _task_workers(server: int) -> list[int]:
    found = []
    for child in _children(server):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"db_worker" in command and _alive(child):
            found.append(child)
    return found


class Database:
    """The served SQLite file, read (never written) to see what the queue holds."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def one(self, sql: str, *params: str) -> tuple[str, ...] | None:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as db:
            row = db.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def task_of(self, export_id: str) -> tuple[str, ...]:
        row = self.one(
            "SELECT id, status, worker_ids, started_at FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = 'routinie.privacy.tasks.build_export'"
            " AND args_kwargs LIKE ?",
            f'%"{export_id}"%',
        )
        assert row is not None
        return row

    def heartbeat_after_start(self, export_id: str) -> float:
        """Seconds between the export task's start and its latest heartbeat."""
        task_id, _, _, started_at = self.task_of(export_id)
        beat = self.one(
            "SELECT beat_at FROM core_taskheartbeat WHERE replace(task_id, '-', '') = ?",
            task_id.replace("-", ""),
        )
        if beat is None:
            return 0.0
        return (datetime.fromisoformat(beat[0]) - datetime.fromisoformat(started_at)).seconds


@pytest.mark.promise("P18")
def test_a_killed_worker_is_restarted_and_its_export_finishes(tmp_path: Path):
    gate = tmp_path / "hold-exports"
    env = file_database_env(
        tmp_path,
        EMAIL_URL="file:",
        DEBUG="0",
        ROUTINIE_ENV="dev",
        LOG_LEVEL="INFO",
        TASK_HEARTBEAT_SECONDS="0.5",
        TASK_LOST_AFTER_SECONDS=str(LOST_AFTER),
        TASK_WORKER_RESTART_MAX_SECONDS="1",
        EXPORT_TEST_GATE=str(gate),
    )
    env.pop("REDIS_URL", None)
    routinie(env, "migrate", "--noinput", check=True)
    database = Database(tmp_path / "routinie.sqlite3")
    exports = tmp_path / "exports"
    gate.touch()
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "routinie", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    site = Site(base)
    try:
        assert _until(lambda: _up(base + "/")), "the server did not come up"
        assert api_sign_up(site, "Ana Pop", "ana@example.test").status_code == 201
        token = api_token(site, "ana@example.test")
        project = {"name": "Garden", "color": "#336699"}
        assert site.api("POST", "/projects", token=token, json=project).status_code == 201
        started = site.api("POST", "/me/export", token=token)
        assert started.status_code == 202, started.text
        export_id = started.json()["id"]

        def state() -> dict[str, object]:
            answer = site.api("GET", f"/me/export/{export_id}", token=token)
            assert answer.status_code == 200, answer.text
            return dict(answer.json())

        first_part = exports / f"{export_id}.1.zip.part"
        second_part = exports / f"{export_id}.2.zip.part"
        # The first run builds, and waits at the gate after its first table.
        assert _until(lambda: first_part.exists() and state()["status"] == "building")
        assert 0 < int(str(state()["progress"])) < 100
        # Its worker is alive: its heartbeats keep the task its own past the timeout.
        assert _until(lambda: database.heartbeat_after_start(export_id) > LOST_AFTER + 1)
        assert database.task_of(export_id)[1] == "RUNNING"
        assert first_part.exists()
        assert not second_part.exists()

        [worker] = _task_workers(server.pid)
        os.kill(worker, signal.SIGKILL)  # mid-build, no chance to clean up

        assert _until(
            lambda: bool(_task_workers(server.pid)) and worker not in _task_workers(server.pid)
        ), "serve did not start the task worker again"
        # The task is taken again after the heartbeat timeout: a second run, from the start,
        # with its own partial file; the dead run's is gone.
        assert _until(lambda: second_part.exists()), "the lost task was not taken again"
        assert not first_part.exists()
        assert state()["status"] == "building"
        assert started.json()["id"] == site.api("POST", "/me/export", token=token).json()["id"]

        gate.unlink()
        assert _until(lambda: state()["status"] == "ready"), "the export did not finish"
        ready = state()
        assert ready["progress"] == 100

        assert site.sign_in("ana@example.test").status_code == 302
        download = site.get(str(ready["download_url"]))
        assert download.status_code == 200
        with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
            assert archive.testzip() is None
            assert "README.txt" in archive.namelist()
            user = json.loads(archive.read("accounts_user.json"))
            assert user[0]["email"] == "ana@example.test"
            projects = json.loads(archive.read("tracking_project.json"))
            assert [p["name"] for p in projects] == ["Garden"]
        assert sorted(p.name for p in exports.iterdir()) == [f"{export_id}.zip"]
        _, status, worker_ids, _ = database.task_of(export_id)
        assert status == "SUCCESSFUL"
        assert len(json.loads(worker_ids)) == 2
    finally:
        site.close()
        gate.unlink(missing_ok=True)
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
    said = log_path.read_text()
    assert server.returncode == 0, said
    assert f"The task worker (pid {worker}) " in said
    assert "starting it again in 1 s" in said
    assert "left running by a stopped worker: queued again (run 2 of 3)" in said
    assert "ana@example.test" not in said
    assert "127.0.0.1" not in said.replace(f"Routinie: http://127.0.0.1:{port}/", "")


def _command(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return []


def test_a_web_process_that_exits_leaves_the_task_worker_and_the_sandbox_alone(tmp_path: Path):
    """Gunicorn forks its web processes from `routinie serve`; one that exits (recycled,
    restarted) must not stop what serve started beside it."""
    env = file_database_env(tmp_path, EMAIL_URL="file:", DEBUG="0", ROUTINIE_ENV="dev")
    env.pop("REDIS_URL", None)
    routinie(env, "migrate", "--noinput", check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "routinie", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _until(lambda: _up(f"http://127.0.0.1:{port}/")), "the server did not come up"
        assert _until(lambda: len([c for c in _children(server.pid) if _alive(c)]) == 4)
        children = {c: _command(c) for c in _children(server.pid)}
        beside = sorted(c for c, command in children.items() if b"serve" not in command)
        web = sorted(c for c, command in children.items() if b"serve" in command)
        assert (len(beside), len(web)) == (2, 2), children
        os.kill(web[0], signal.SIGTERM)  # gunicorn ends it gracefully and forks a new one

        def replaced() -> bool:
            now = [c for c in _children(server.pid) if _alive(c) and b"serve" in _command(c)]
            return len(now) == 2 and web[0] not in now

        assert _until(replaced), "gunicorn did not replace its web process"
        assert all(_alive(pid) for pid in beside)  # the same task worker and sandbox
        assert set(beside) <= set(_children(server.pid))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
    assert server.returncode == 0
