"""`routinie stats-refresh`, black-box: it computes the key figures and publishes as the daily
job does, a dry run writes nothing, and a release past the budget is refused (P04, P05)."""

import os
from pathlib import Path

import pytest

from tests.e2e.commands import routinie

MAKE_PEOPLE = (
    "from routinie.stats.tests.people import people; "
    "people(12, hours=[2, 1], kinds=['daily'], checkins=3)"
)
COUNT_ROWS = (
    "from routinie.stats.models import KeyFigures, Release, BudgetSpend; "
    "print(KeyFigures.objects.count(), Release.objects.filter(audience='public').count(), "
    "BudgetSpend.objects.count())"
)


@pytest.fixture
def fresh_install(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("STATS_")
    }
    env["DATA_DIR"] = str(tmp_path)
    env["STATS_EPSILON_PER_RELEASE"] = "1"
    env["STATS_EPSILON_BUDGET"] = "1.5"
    assert routinie(env, "migrate", "--noinput").returncode == 0
    made = routinie(env, "shell", "-c", MAKE_PEOPLE)
    assert made.returncode == 0, made.stderr
    return env


def _counts(env: dict[str, str]) -> list[int]:
    done = routinie(env, "shell", "-c", COUNT_ROWS)
    assert done.returncode == 0, done.stderr
    return [int(n) for n in done.stdout.strip().splitlines()[-1].split()]


@pytest.mark.promise("P05")
@pytest.mark.promise("P04")
def test_stats_refresh_computes_publishes_and_refuses_past_the_budget(fresh_install):
    env = fresh_install
    dry = routinie(env, "stats-refresh", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Key figures: 12 accounts, would write 12" in dry.stdout
    assert _counts(env) == [0, 0, 0]

    first = routinie(env, "stats-refresh")
    assert first.returncode == 0, first.stderr
    assert "Key figures: 12 accounts, written 12, unchanged 0" in first.stdout
    assert "Public figures: released, epsilon 1 spent." in first.stdout
    assert _counts(env) == [12, 1, 1]

    again = routinie(env, "stats-refresh")
    assert again.returncode == 0
    assert "written 0, unchanged 12" in again.stdout
    assert "none due" in again.stdout

    refused = routinie(env, "stats-refresh", "--release-now")
    assert refused.returncode != 0
    assert "Public figures: refused." in refused.stderr
    assert "only 0.5 of the 1.5 allowed per 365 days is left" in refused.stderr
    assert _counts(env) == [12, 1, 1]


def test_stats_refresh_refuses_contradictory_options(fresh_install):
    done = routinie(fresh_install, "stats-refresh", "--dry-run", "--release-now")
    assert done.returncode != 0
    assert "--dry-run publishes nothing" in done.stderr
    assert _counts(fresh_install) == [0, 0, 0]
