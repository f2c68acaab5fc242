"""/goals/: the person's goals with this period's progress, to create, change and delete.
Parse, call a service, render."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.tracking.entries.views import saved
from routinie.tracking.goals import services
from routinie.tracking.goals.forms import FORM_FIELDS, GoalForm, initial_of
from routinie.tracking.goals.selectors import current_progress, goals_of
from routinie.tracking.models import Goal
from routinie.tracking.ownership import get_owned


def _edit_form(user: User, goal: Goal, data: object = None) -> GoalForm:
    return GoalForm(data, user=user, initial=initial_of(goal), prefix=f"g{goal.pk.hex[:8]}")


def _page(request: HttpRequest, status: int = 200, **forms: GoalForm) -> HttpResponse:
    user = signed_in_user(request)
    rows = [
        {"item": item, "form": forms.get(str(item.goal.pk)) or _edit_form(user, item.goal)}
        for item in current_progress(user, goals_of(user))
    ]
    context = {"rows": rows, "form": forms.get("new") or GoalForm(user=user)}
    return render(request, "tracking/goals.html", context, status=status)


@login_required
def goals(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = GoalForm(request.POST, user=user)
    if form.is_valid() and saved(
        form, lambda: services.create_goal(user=user, **form.goal_fields()), FORM_FIELDS
    ):
        messages.success(request, "The goal is set.")
        return redirect("/goals/")
    return _page(request, 422, new=form)


@login_required
@require_POST
def update(request: HttpRequest, goal_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    goal = get_owned(Goal, user, goal_id, "goal")
    form = _edit_form(user, goal, request.POST)
    if form.is_valid() and saved(
        form,
        lambda: services.update_goal(user=user, goal_id=goal.pk, **form.goal_fields()),
        FORM_FIELDS,
    ):
        messages.success(request, "The goal is saved.")
        return redirect(f"/goals/#goal-{goal.pk}")
    return _page(request, 422, **{str(goal.pk): form})


@login_required
@require_POST
def delete(request: HttpRequest, goal_id: UUID) -> HttpResponse:
    services.delete_goal(user=signed_in_user(request), goal_id=goal_id)
    messages.success(request, "The goal is deleted.")
    return redirect("/goals/")
