"""Running the `routinie` command as a subprocess, as an operator or a mail server would."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


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


def file_database_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment on an SQLite file in `data_dir` (shared by the subprocesses
    a test starts), plus `settings`."""
    env = {**os.environ, "DATA_DIR": str(data_dir), **settings}
    env.pop("DATABASE_URL", None)
    return env
