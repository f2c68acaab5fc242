"""The SQLite backend's write turns: writers queue instead of failing or busy-waiting, and every
way a transaction ends gives the turn back (on an SQLite file of the test's own, whichever
database the rest of the suite runs on)."""

import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routinie.core.sqlite_backend import base


def _wrapper(path: Path, timeout: float = 20) -> base.DatabaseWrapper:
    settings_dict: dict[str, Any] = {
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": timeout,
        },
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
        "ENGINE": "routinie.core.sqlite_backend",
    }
    connection = base.DatabaseWrapper(settings_dict, alias=f"turns-{threading.get_ident()}")
    connection.ensure_connection()
    return connection


def _begin(connection: base.DatabaseWrapper) -> None:
    """What `transaction.atomic()` does first on SQLite."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(connection: base.DatabaseWrapper, *, commit: bool = True) -> None:
    connection.commit() if commit else connection.rollback()
    connection.set_autocommit(True)


def _turn_is_free(path: Path) -> bool:
    """Both turns are free: this process's lock and the lock file (tried from a new file
    description, as another process would)."""
    if not base._PROCESS_TURN.acquire(blocking=False):
        return False
    base._PROCESS_TURN.release()
    descriptor = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


@pytest.fixture(autouse=True)
def _own_database_allowed(django_db_blocker: Any) -> Iterator[None]:
    """These tests open their own SQLite file, never the suite's test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "turns.sqlite3"
    connection = _wrapper(path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
    connection.close()
    return path


def test_concurrent_writers_all_commit(database: Path):
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        connection = _wrapper(database)
        try:
            for n in range(25):
                _begin(connection)
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO item (writer, n) VALUES (%s, %s)", [writer, n])
                _end(connection)
        except BaseException as exc:  # collected: a thread's failure fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    reader = _wrapper(database)
    with reader.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT writer * 100 + n) FROM item")
        assert cursor.fetchone() == (200, 200)
    reader.close()
    assert _turn_is_free(database)


def test_a_second_writer_waits_for_the_first_to_commit(database: Path):
    first = _wrapper(database)
    events: list[str] = []
    _begin(first)
    assert not _turn_is_free(database)

    def write_second() -> None:
        second = _wrapper(database)
        _begin(second)
        events.append("second began")
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO item (writer, n) VALUES (2, 0)")
        _end(second)
        second.close()

    waiter = threading.Thread(target=write_second)
    waiter.start()
    time.sleep(0.3)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO item (writer, n) VALUES (1, 0)")
    events.append("first commits")
    _end(first)
    waiter.join(timeout=10)
    assert events == ["first commits", "second began"]
    first.close()
    assert _turn_is_free(database)


def test_rollback_close_and_a_failed_begin_give_the_turn_back(database: Path):
    connection = _wrapper(database)
    _begin(connection)
    _end(connection, commit=False)
    assert _turn_is_free(database)

    _begin(connection)
    connection.close()
    assert _turn_is_free(database)

    broken = _wrapper(database)
    broken.connection.close()  # BEGIN on a closed sqlite3 connection raises
    with pytest.raises(Exception, match="closed"):
        broken._start_transaction_under_autocommit()
    assert _turn_is_free(database)


def test_another_process_holding_the_turn_is_waited_for(database: Path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(database) + '-writer'!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(0.5)\n"
            "print('released', time.time(), flush=True)\n"
            "fcntl.flock(fd, fcntl.LOCK_UN)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    connection = _wrapper(database)
    _begin(connection)
    began = time.time()
    _end(connection)
    connection.close()
    released = float(holder.stdout.readline().split()[1])
    holder.wait(timeout=10)
    assert began >= released


def test_a_forked_child_starts_with_a_free_process_turn(database: Path):
    connection = _wrapper(database)
    _begin(connection)  # the parent holds its process turn while it forks
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether its own process turn is free, then leave at once
        free = base._PROCESS_TURN.acquire(blocking=False)
        os.write(write, b"free" if free else b"held")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 10)
    os.waitpid(pid, 0)
    os.close(read)
    _end(connection)
    connection.close()
    assert answer == b"free"
