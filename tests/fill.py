"""Fill every table the registry says a user owns, with values unique to that user, so tests
can prove what an export holds and what an erasure leaves.

Each app that owns tables adds its rows through a `fill(user, tag) -> markers` function in its
own `tests/fill.py`, listed in APP_FILLERS below. The stats app's row (key figures under a
pseudonym) is not the person's to export but goes with their account: its fill returns the
values an erasure must remove, kept apart in `Filled.pseudonymous`.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pyotp
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from routinie.accounts import two_factor
from routinie.accounts.models import ApiToken, User
from routinie.accounts.password_reset import issue_link
from routinie.accounts.services import create_api_token
from routinie.billing.tests.fill import fill_billing
from routinie.blog.tests.fill import fill as fill_blog
from routinie.policy.models import PolicyBannerShown, PolicyNotice, PolicyVersion
from routinie.privacy.models import Consent, DataExport, StaffAccess
from routinie.stats.tests.fill import fill as fill_stats
from routinie.support.tests.fill import fill as fill_support
from routinie.tracking.entries.services import create_entry, create_project, start_timer
from routinie.tracking.feed.services import make_feed, token_hash
from routinie.tracking.goals.services import create_goal
from routinie.tracking.models import ForgottenTimer, SentReminder
from routinie.tracking.reminders.services import set_digest_time
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import StepSpec, check_in, create_routine

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
APP_FILLERS = [fill_support, fill_blog, fill_billing]


@dataclass
class Filled:
    user: User
    password: str
    client: Client
    token: str
    markers: list[str] = field(default_factory=list)  # in their export, gone once erased
    pseudonymous: list[str] = field(default_factory=list)  # not exported, gone once erased


def sign_in(user: User, password: str) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER)
    assert client.post("/login/", {"email": user.email, "password": password}).status_code == 302
    return client


def fill_every_table(make_user: Any, tag: str, staff: User | None = None) -> Filled:
    """A user with rows in every table of the registry a user owns, marked with `tag`."""
    user, password = make_user(
        name=f"Person {tag}", email=f"{tag.lower()}@example.test", timezone_name="Europe/Bucharest"
    )
    User.objects.filter(pk=user.pk).update(
        week_start=1, password_reminder_sent_at=timezone.now() - timedelta(days=3)
    )
    client = sign_in(user, password)  # a session row
    token, secret = create_api_token(user=user, label=f"token {tag}")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    issue_link(user)  # a password-reset link in flight
    # Two-factor sign-in on (after the session above: signing in now takes a code too).
    setup = two_factor.begin(user=user, password=password)
    two_factor.confirm(user=user, code=pyotp.TOTP(setup.secret).now())
    project, _ = create_project(user=user, name=f"Project {tag}", color="#123456")
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    create_entry(
        user=user,
        start=start,
        end=start + timedelta(minutes=90),
        description=f"=Entry {tag}",  # a formula: guarded in the CSV, as is in the JSON
        project_id=project.id,
        tags=[f"tag-{tag}"],
        breaks=[(start + timedelta(minutes=30), start + timedelta(minutes=40))],
    )
    routine, _ = create_routine(
        user=user,
        name=f"Routine {tag}",
        schedule=ScheduleSpec("daily"),
        target_value=8,
        target_unit=f"glasses{tag}",
        steps=[StepSpec(f"Step {tag}", 90)],
        reminder_time=time(6, 45),
    )
    set_digest_time(user=user, wall=time(21, 30))
    SentReminder.objects.create(user=user, routine=routine, day=start.date())
    check_in(
        user=user, routine_id=routine.id, day=start.date(), status="done", value=7, note=f"N {tag}"
    )
    create_goal(user=user, period="week", seconds=10 * 3600, tag=f"goal-{tag}")
    create_goal(user=user, period="month", seconds=40 * 3600, project_id=project.id)
    running = start_timer(
        user=user, description=f"Running {tag}", routine_id=routine.id, routine_step=1
    )
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(last_active_at=now, forgotten_timer_hours=6)
    ForgottenTimer.objects.create(
        entry=running, user=user, emailed_at=now, left_at=now, kept_at=now
    )
    feed_url = make_feed(user=user, include_entries=True)["url"]
    feed_hash = token_hash(feed_url.rsplit("/", 1)[1].removesuffix(".ics"))
    group, _ = Group.objects.get_or_create(name="support")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_timeentry"))
    Consent.objects.create(
        user=user,
        recipient=f"Recipient {tag}",
        purpose=f"Purpose {tag}",
        scope=["content you track"],
        evidence=f"Evidence {tag}",
        revoked_at=timezone.now(),
    )
    StaffAccess.objects.create(user=user, staff=staff, what=f"Looked at {tag}")
    finished = timezone.now() - timedelta(days=30)
    DataExport.objects.create(  # an old, expired export
        user=user,
        status=DataExport.Status.READY,
        progress=100,
        file_name=f"{uuid.uuid4()}.zip",
        size_bytes=1234,
        created_at=finished,
        finished_at=finished,
        expires_at=finished + timedelta(days=7),
    )
    first_policy = PolicyVersion.objects.get(version=1)
    PolicyNotice.objects.create(
        user=user, version=first_policy, sent_at=finished, message_id=f"<notice-{tag}@example>"
    )
    PolicyBannerShown.objects.create(user=user, version=first_policy)
    markers = [
        user.name,
        user.email,
        f"token {tag}",
        f"Project {tag}",
        f"Entry {tag}",
        f"tag-{tag}",
        f"Routine {tag}",
        f"glasses{tag}",
        f"Step {tag}",
        f"N {tag}",
        f"Running {tag}",
        f"goal-{tag}",
        f"Recipient {tag}",
        f"Purpose {tag}",
        f"Evidence {tag}",
        f"Looked at {tag}",
        str(user.pk),
        f"<notice-{tag}@example>",
    ]
    for app_fill in APP_FILLERS:
        markers += app_fill(user, tag)
    # The two-factor secret and the calendar address's hash are secret.
    never_exported = [*fill_stats(user, tag), setup.secret, feed_hash]
    return Filled(user, password, client, secret, markers, never_exported)
