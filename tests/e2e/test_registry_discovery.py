"""Discovery, black-box: a new app that declares its data in its own `personal_data.py` and
its deadlines in its own `retention.py` is found at start-up, with no line added to privacy
(P01, P20); the same app without a `personal_data.py` fails `routinie check`."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MODELS = """
from django.db import models

class Gadget(models.Model):
    serial_number = models.CharField(max_length=20)

    class Meta:
        app_label = "probe"
"""

PERSONAL_DATA = """
from routinie.core.data_rules import KEY, Table, not_personal

TABLES = [
    Table("probe.Gadget", "gadgets", None, {"id": KEY, "serial_number": not_personal("a serial")}),
]
"""

RETENTION = """
from routinie.core.data_rules import RetentionRule

RULES = [RetentionRule("old gadgets", lambda now: None)]
"""

PROBE = """
from routinie.privacy.registry import BY_LABEL
from routinie.privacy.retention import ENFORCED

print("table:", BY_LABEL["probe.Gadget"].holds)
print("rule:", ENFORCED[-1].name)
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "probe_settings.py").write_text(
        "from routinie.settings import *  # noqa\nINSTALLED_APPS = [*INSTALLED_APPS, 'probe']\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probe_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "DATA_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _app(tmp_path: Path, **modules: str) -> None:
    app = tmp_path / "probe"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(textwrap.dedent(MODELS))
    for name, text in modules.items():
        (app / f"{name}.py").write_text(textwrap.dedent(text))


@pytest.mark.promise("P01")
def test_an_apps_own_declarations_are_found_at_start_up(tmp_path: Path):
    _app(tmp_path, personal_data=PERSONAL_DATA, retention=RETENTION)
    checked = _run(tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    shell = _run(tmp_path, "shell", "-c", PROBE)
    assert shell.returncode == 0, shell.stderr
    assert "table: gadgets" in shell.stdout
    assert "rule: old gadgets" in shell.stdout


@pytest.mark.promise("P01")
def test_an_app_that_declares_nothing_fails_the_check(tmp_path: Path):
    _app(tmp_path, retention=RETENTION)
    checked = _run(tmp_path, "check")
    assert checked.returncode != 0
    assert "probe.Gadget.serial_number is not in the personal-data registry" in checked.stderr
