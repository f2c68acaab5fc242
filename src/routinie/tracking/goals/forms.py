"""The goal form of /goals/: a period, hours (a decimal: 7.5 is seven and a half hours) and
what counts, a project or a tag. The service checks the rules (one target, the length)."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms

from routinie.accounts.models import User
from routinie.tracking.entries.selectors import projects_of
from routinie.tracking.models import Goal

PERIOD_CHOICES = [(Goal.Period.WEEK.value, "A week"), (Goal.Period.MONTH.value, "A month")]
# The service's field names on this form.
FORM_FIELDS = {"seconds": "hours", "project_id": "project"}


class GoalForm(forms.Form):
    period = forms.ChoiceField(choices=PERIOD_CHOICES, label="Period", initial="week")
    hours = forms.DecimalField(
        label="Hours",
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    project = forms.ChoiceField(required=False, label="Project")
    tag = forms.CharField(required=False, max_length=50, label="or a tag")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = [
            (str(p.pk), f"{p.name} (archived)" if p.archived else p.name) for p in projects_of(user)
        ]
        field = self.fields["project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None: count a tag"), *projects]

    def goal_fields(self) -> dict[str, Any]:
        """The cleaned form as the services take a goal."""
        data = self.cleaned_data
        hours: Decimal = data["hours"]
        return {
            "period": data["period"],
            "seconds": round(hours * 3600),
            "project_id": UUID(data["project"]) if data["project"] else None,
            "tag": data["tag"],
        }


def initial_of(goal: Goal) -> dict[str, Any]:
    hours = Decimal(goal.seconds) / 3600
    return {
        "period": goal.period,
        "hours": hours.quantize(Decimal("0.01")).normalize(),
        "project": str(goal.project_id or ""),
        "tag": goal.tag,
    }
