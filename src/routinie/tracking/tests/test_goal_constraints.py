"""The database itself holds a goal's rules (migration 0009), whatever writes it: exactly one
target, a length above 0 and at most its period, one goal per period and target; a goal goes
with its project."""

import pytest
from django.db import IntegrityError, transaction

from routinie.tracking.entries.services import create_project
from routinie.tracking.models import MONTH_SECONDS, WEEK_SECONDS, Goal

pytestmark = pytest.mark.django_db


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(**fields)


def test_a_goal_needs_exactly_one_target_and_a_length_within_its_period(ada):
    project, _ = create_project(user=ada, name="Book")
    week = {"user": ada, "period": "week"}
    _refused(**week, seconds=3600)  # no target
    _refused(**week, seconds=3600, project=project, tag="deep")  # both
    _refused(**week, seconds=0, tag="deep")
    _refused(**week, seconds=WEEK_SECONDS + 1, tag="deep")
    _refused(user=ada, period="month", seconds=MONTH_SECONDS + 1, tag="deep")
    _refused(user=ada, period="day", seconds=60, tag="deep")
    Goal.objects.create(**week, seconds=WEEK_SECONDS, tag="deep")
    Goal.objects.create(user=ada, period="month", seconds=MONTH_SECONDS, tag="deep")
    Goal.objects.create(**week, seconds=60, project=project)
    _refused(**week, seconds=60, tag="deep")  # one goal per period and tag
    _refused(**week, seconds=60, project=project)  # and per period and project
    assert Goal.objects.count() == 3
    project.delete()
    assert list(Goal.objects.values_list("tag", flat=True).order_by("period")) == ["deep", "deep"]
