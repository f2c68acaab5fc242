"""Running the `routinie` command as a subprocess, as an operator or a mail server would."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote


def routinie(
    env: dict[str, str],
    *args: str,
    stdin: bytes | None = None,
    text: bool = True,
    check: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[Any]:
    """`routinie ARGS` with `env`; output as text (or bytes with `text=False`)."""
    return subprocess.run(
        [sys.executable, "-m", "routinie", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=text and stdin is None,
        check=check,
        timeout=timeout,
    )


def database_url(db: dict[str, Any], *, port: int | None = None) -> str:
    """DATABASE_URL of a PostgreSQL database of Django's settings (`connection.settings_dict`:
    pytest-django's test database), on another `port` of the same host if given."""
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = f"{quote(db['USER'], safe='')}{password}@" if db["USER"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def file_database_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment on an SQLite file in `data_dir` (shared by the subprocesses
    a test starts), plus `settings`."""
    env = {**os.environ, "DATA_DIR": str(data_dir), **settings}
    env.pop("DATABASE_URL", None)
    return env


def wait_until(condition: Callable[[], object], seconds: float = 30.0) -> bool:
    """Whether `condition()` became true within `seconds` (asked every 0.1 s)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
