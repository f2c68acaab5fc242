"""Privacy commands, black-box: `routinie check` refuses an unclassified field (P01),
`routinie purge` enforces retention (P20), and the transparency report is public (P09)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.e2e.commands import routinie


@pytest.mark.promise("P01")
def test_an_unclassified_field_makes_routinie_check_fail_naming_it(tmp_path: Path):
    app = tmp_path / "probe"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(
        textwrap.dedent(
            """
            from django.db import models

            class Gadget(models.Model):
                serial_number = models.CharField(max_length=20)

                class Meta:
                    app_label = "probe"
            """
        )
    )
    (tmp_path / "probe_settings.py").write_text(
        "from routinie.settings import *  # noqa\nINSTALLED_APPS = [*INSTALLED_APPS, 'probe']\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probe_settings",
        "PYTHONPATH": str(tmp_path),
        "DATA_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "probe.Gadget.serial_number is not in the personal-data registry" in result.stderr
    assert "probe.Gadget.id is not in the personal-data registry" in result.stderr


@pytest.mark.promise("P20")
def test_routinie_purge_removes_an_expired_session_and_prints_counts(tmp_path: Path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATA_DIR"] = str(tmp_path)
    assert routinie(env, "migrate", "--noinput").returncode == 0
    script = (
        "from django.utils import timezone; from datetime import timedelta; "
        "from routinie.accounts.models import UserSession; "
        "UserSession.objects.create(session_key='a'*40, session_data='', expire_date=timezone.now() - timedelta(minutes=1)); "
        "UserSession.objects.create(session_key='b'*40, session_data='', expire_date=timezone.now() + timedelta(hours=1))"
    )
    assert routinie(env, "shell", "-c", script).returncode == 0
    dry = routinie(env, "purge", "--dry-run")
    assert "expired sessions: would remove 1" in dry.stdout
    done = routinie(env, "purge")
    assert done.returncode == 0
    assert "expired sessions: removed 1" in done.stdout
    left = routinie(
        env,
        "shell",
        "-c",
        "from routinie.accounts.models import UserSession; print(UserSession.objects.count())",
    )
    assert left.stdout.strip().splitlines()[-1] == "1"
