"""/projects/: the person's projects, to create, rename, recolour (by a named colour) and
archive. Parse, call a service, render."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.tracking.entries import services
from routinie.tracking.entries.forms import ProjectForm
from routinie.tracking.entries.selectors import projects_of
from routinie.tracking.entries.views import saved
from routinie.tracking.models import Project
from routinie.tracking.ownership import get_owned


def _edit_form(project: Project, data: Any = None) -> ProjectForm:
    initial = {"name": project.name, "color": project.color}
    return ProjectForm(data, initial=initial, prefix=f"p{project.pk.hex[:8]}")


def _page(request: HttpRequest, status: int = 200, **forms: ProjectForm) -> HttpResponse:
    projects = list(projects_of(signed_in_user(request)))
    rows = [{"project": p, "form": forms.get(str(p.pk)) or _edit_form(p)} for p in projects]
    context = {"rows": rows, "form": forms.get("new") or ProjectForm()}
    return render(request, "tracking/projects.html", context, status=status)


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def create_project(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST)
    user = signed_in_user(request)
    if form.is_valid() and saved(
        form, lambda: services.create_project(user=user, **form.cleaned_data)
    ):
        messages.success(request, f"The project {form.cleaned_data['name']} is created.")
        return redirect("/projects/")
    return _page(request, 422, new=form)


@login_required
@require_POST
def update_project(request: HttpRequest, project_id: UUID) -> HttpResponse:
    """Rename and recolour."""
    user = signed_in_user(request)
    project = get_owned(Project, user, project_id, "project")
    form = _edit_form(project, request.POST)
    if form.is_valid() and saved(
        form, lambda: services.update_project(user=user, project_id=project.pk, **form.cleaned_data)
    ):
        messages.success(request, f"The project {form.cleaned_data['name']} is saved.")
        return redirect(f"/projects/#project-{project.pk}")
    return _page(request, 422, **{str(project.pk): form})


@login_required
@require_POST
def archive_project(request: HttpRequest, project_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    project = get_owned(Project, user, project_id, "project")
    services.update_project(user=user, project_id=project.pk, archived=not project.archived)
    messages.success(
        request, f"{project.name} is {'restored' if project.archived else 'archived'}."
    )
    return redirect("/projects/")
