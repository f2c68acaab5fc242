"""Releases through the anonymity layer: k, neighbouring data sets, the budget (P04)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from routinie.stats.budget import BudgetExceeded
from routinie.stats.keyfigures import refresh_key_figures
from routinie.stats.models import BudgetSpend, Release, ReleasedFigure
from routinie.stats.public_figures import FIGURES, privacy_spent
from routinie.stats.releases import publish_public_release, refresh_statistics
from routinie.stats.selectors import latest_public
from routinie.stats.tests.people import people, person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# So much epsilon that the noise is (almost surely) zero: the k rule alone decides.
NO_NOISE = override_settings(STATS_EPSILON_PER_RELEASE=1000.0, STATS_EPSILON_BUDGET=100000.0)


def _values(release: Release) -> dict[str, list[dict]]:
    return {f.name: f.values for f in release.figures.all()}


def _shown(values: dict[str, list[dict]]) -> list:
    return [v["value"] for figure in values.values() for v in figure if v["value"] is not None]


@pytest.mark.promise("P04")
@NO_NOISE
@time_machine.travel(NOW, tick=False)
def test_a_platform_of_k_minus_1_people_shows_nothing_and_of_k_people_shows_them():
    people(9, hours=[2], kinds=["daily"], checkins=2)
    refresh_key_figures()
    values = _values(publish_public_release())
    assert _shown(values) == []
    assert {v["withheld"] for figure in values.values() for v in figure} == {"k"}

    person(hours=[2], kinds=["daily"], checkins=2)
    refresh_key_figures()
    values = _values(publish_public_release())
    assert values["active_people"][0]["value"] == 5  # 10 people: "over 5"
    assert values["hours_30d"][0]["value"] == 10  # 20 hours: "over 10"
    kinds = {v["key"]: v for v in values["routine_kinds"]}
    assert kinds["daily"]["value"] == 10
    assert kinds["weekdays"]["value"] is None
    assert kinds["weekdays"]["withheld"] == "k"


@pytest.mark.promise("P04")
@NO_NOISE
@time_machine.travel(NOW, tick=False)
def test_a_group_of_k_minus_1_inside_a_bigger_platform_is_withheld_and_of_k_shown():
    people(20, hours=[1], kinds=["daily"])
    people(9, hours=[1], kinds=["every_n_days"])
    refresh_key_figures()
    kinds = {v["key"]: v for v in _values(publish_public_release())["routine_kinds"]}
    assert kinds["every_n_days"]["value"] is None
    assert kinds["daily"]["value"] == 20

    person(hours=[1], kinds=["every_n_days"])
    refresh_key_figures()
    kinds = {v["key"]: v for v in _values(publish_public_release())["routine_kinds"]}
    assert kinds["every_n_days"]["value"] == 10


def _exact() -> dict[str, list[float]]:
    return {figure.name: list(figure.exact().values) for figure in FIGURES}


def _l1(a: list[float], b: list[float]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


@pytest.mark.promise("P04")
@time_machine.travel(NOW, tick=False)
def test_one_person_more_or_less_moves_each_figure_by_at_most_its_stated_sensitivity():
    """The bound behind the noise: whoever the person is (here an extreme one: 300 hours, a
    routine of every kind, a check-in every day), the exact values each figure feeds to OpenDP
    move by at most its sensitivity, and the noise is proven enough for that sensitivity."""
    people(12, hours=[1, 2, 3], kinds=["daily"], checkins=3)
    people(5, hours=[8] * 6, kinds=["weekdays", "times_per_week"], checkins=10, days_ago=3)
    refresh_key_figures()
    before = _exact()
    extreme = person(
        hours=[10] * 30, kinds=["daily", "weekdays", "times_per_week", "every_n_days"], checkins=29
    )
    refresh_key_figures()
    with_extreme = _exact()
    extreme.delete()
    quiet = people(1, hours=[0.5])[0]
    refresh_key_figures()
    with_quiet = _exact()
    quiet.delete()
    for figure in FIGURES:
        assert _l1(before[figure.name], with_extreme[figure.name]) <= figure.sensitivity + 1e-6
        assert _l1(before[figure.name], with_quiet[figure.name]) <= figure.sensitivity + 1e-6
    assert _l1(before["hours_30d"], with_extreme["hours_30d"]) == pytest.approx(100)  # capped

    release = publish_public_release()
    figures = list(release.figures.all())
    assert sum(f.epsilon for f in figures) == pytest.approx(release.epsilon)
    for f in figures:
        assert privacy_spent(f.name, f.noise_scale) <= f.epsilon + 1e-12


@pytest.mark.promise("P04")
@override_settings(STATS_EPSILON_PER_RELEASE=1.0, STATS_EPSILON_BUDGET=2.5, STATS_BUDGET_DAYS=365)
@time_machine.travel(NOW, tick=False)
def test_the_ledger_refuses_a_release_past_the_budget_and_records_nothing_of_it():
    people(3, hours=[1])
    refresh_key_figures()
    publish_public_release()
    publish_public_release()
    figures_before = ReleasedFigure.objects.count()
    with pytest.raises(
        BudgetExceeded, match=re.escape("only 0.5 of the 2.5 allowed per 365 days is left")
    ):
        publish_public_release()
    assert Release.objects.filter(audience="public").count() == 2
    assert BudgetSpend.objects.count() == 2
    assert ReleasedFigure.objects.count() == figures_before
    assert sum(BudgetSpend.objects.values_list("epsilon", flat=True)) == 2.0

    with time_machine.travel(NOW + timedelta(days=366), tick=False):
        publish_public_release()  # the first two have left the window
    assert BudgetSpend.objects.count() == 3


@override_settings(STATS_EPSILON_PER_RELEASE=1.0, STATS_EPSILON_BUDGET=1.0)
@time_machine.travel(NOW, tick=False)
def test_the_refresh_reports_a_refused_release_and_keeps_the_last_one():
    person(hours=[1])
    first = refresh_statistics()
    assert first.public_release is not None
    second = refresh_statistics(release_now=True)
    assert second.public_release is None
    assert "Nothing was released" in second.refused
    assert latest_public().release == first.public_release


@override_settings(STATS_RELEASE_DAYS=30)
@time_machine.travel(NOW, tick=False)
def test_a_public_release_is_made_when_due_and_a_staff_release_every_time():
    person(hours=[1])
    assert refresh_statistics().public_release is not None
    assert refresh_statistics().public_release is None
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        assert refresh_statistics().public_release is not None
    assert Release.objects.filter(audience="staff").count() == 3


@time_machine.travel(NOW, tick=False)
def test_the_noise_is_drawn_once_per_release_and_reads_return_it_unchanged():
    people(12, hours=[3], kinds=["daily"])
    refresh_statistics()
    first, again = latest_public(), latest_public()
    assert first.release == again.release
    assert {n: f.values for n, f in first.figures.items()} == {
        n: f.values for n, f in again.figures.items()
    }
