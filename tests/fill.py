"""Fill every table the registry says a user owns, with values unique to that user, so tests
can prove what an export holds and what an erasure leaves."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.privacy.models import Consent, DataExport, StaffAccess
from routinie.tracking.entries import create_entry, create_project, start_timer
from routinie.tracking.routines import ScheduleSpec, StepSpec, check_in, create_routine


@dataclass
class Filled:
    user: Any
    password: str
    markers: list[str] = field(default_factory=list)


def fill_every_table(make_user: Any, tag: str) -> Filled:
    """A user named after `tag`, with a row in every table they can own, each marked `tag`."""
    user, password = make_user(name=f"Person {tag}", email=f"{tag.lower()}@example.test")
    filled = Filled(user, password, [f"Person {tag}", f"{tag.lower()}@example.test"])
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
    assert client.post("/login/", {"email": user.email, "password": password}).status_code == 302
    create_api_token(user=user, label=f"token {tag}")
    project, _ = create_project(user=user, name=f"Project {tag}")
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    create_entry(
        user=user,
        start=start,
        end=start + timedelta(hours=1),
        description=f"Entry {tag}",
        project_id=project.id,
        tags=[f"tag-{tag}"],
    )
    routine, _ = create_routine(
        user=user,
        name=f"Routine {tag}",
        schedule=ScheduleSpec("daily"),
        target_value=8,
        target_unit=f"unit{tag}"[:30],
        steps=[StepSpec(f"Step {tag}", 60)],
    )
    check_in(
        user=user,
        routine_id=routine.id,
        day=start.date(),
        status="done",
        value=8,
        note=f"Note {tag}",
    )
    start_timer(user=user, description=f"Running {tag}")
    group, _ = Group.objects.get_or_create(name="support")
    user.groups.add(group)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_timeentry"))
    Consent.objects.create(
        user=user,
        recipient=f"Recipient {tag}",
        purpose=f"Purpose {tag}",
        scope=["account"],
        evidence=f"Evidence {tag}",
    )
    StaffAccess.objects.create(user=user, what=f"Looked {tag}")
    DataExport.objects.create(user=user, file_name=f"{tag}.zip")
    filled.markers += [
        f"token {tag}",
        f"Project {tag}",
        f"Entry {tag}",
        f"tag-{tag}",
        f"Routine {tag}",
        f"Step {tag}",
        f"Note {tag}",
        f"Running {tag}",
        f"Recipient {tag}",
        f"Evidence {tag}",
        f"Looked {tag}",
    ]
    return filled
