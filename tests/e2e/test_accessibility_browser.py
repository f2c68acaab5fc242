"""The accessibility gate: axe-core's WCAG 2.2 A/AA rules over every page, in real Chromium, light
and dark, desktop (1280x900) and phone (390x844) width.

One test per page (the parameter names it), each run in the four contexts (one per theme and
width, opened once for the module and reused, with the persona's session cookie put in before
each page). The data is what a person has after a week: a running timer, entries with projects
and tags, routines with check-ins, a support conversation, a data export, a blog post.

axe-core comes from npm (package.json, installed by `make install` with `npm ci`): it is injected
into the page by Playwright with the context's `bypass_csp`, the site's CSP left as it is. Without
`node_modules/axe-core` the tests are skipped locally and fail in CI.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.utils import timezone

from routinie.tracking.reminders.links import unsubscribe_token
from tests.e2e.conftest import BROWSER_TIMEZONE, REPO_ROOT
from tests.e2e.test_foundation_http import PUBLIC_PAGES as FOUNDATION_PUBLIC_PAGES
from tests.e2e.test_foundation_http import SIGNED_IN_PAGES as FOUNDATION_SIGNED_IN_PAGES
from tests.fill import fill_every_table, sign_in
from tests.personas import PASSWORD, new_user
from tests.plugin import require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
THEMES = ["light", "dark"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# Every page of tests/e2e/test_foundation_http.py, then the pages reached by id, the ones only a
# browser gets (the 404 page) and the staff pages. {routine}, {entry}, {conversation} and {post}
# are filled in from the data.
PUBLIC_PAGES = [
    *FOUNDATION_PUBLIC_PAGES,
    "/transparency/",
    "/blog/{post}/",
    "/no-such-page/",
    "/reminders/unsubscribe/?token={unsubscribe}",  # a reminder e-mail's link: its button
    "/reminders/unsubscribe/?token=not-ours",  # a cut or changed link: 400
]
MEMBER_PAGES = [
    *FOUNDATION_SIGNED_IN_PAGES,
    "/entries/{entry}/edit/",
    "/routines/{routine}/",
    "/routines/{routine}/edit/",
    "/routines/{routine}/run/",
    "/support/{conversation}/",
    "/blog/{post}/",
    "/account/delete/",
    "/timer/forgotten/{running}/",
]
STAFF_PAGES = [
    "/support/staff/",
    "/support/staff/{conversation}/",
    "/stats/staff/",
    "/staff/processing-record/",
]
# Django Ninja's Swagger UI is not our markup: its own CSS fails colour contrast, its <html> has
# no lang, its operation rows nest buttons and their links are under 24 px. Expected to fail until
# the docs page is replaced or restyled (strict: the day it passes, this marker must go).
NOT_OURS = pytest.mark.xfail(
    strict=True, reason="Django Ninja's Swagger UI: third-party markup and CSS"
)
PAGES = [
    pytest.param(persona, path, id=f"{persona}:{path}", marks=NOT_OURS if "/api/" in path else ())
    for persona, paths in [
        ("anonymous", PUBLIC_PAGES),
        ("member", MEMBER_PAGES),
        ("staff", STAFF_PAGES),
    ]
    for path in paths
]
NOT_FOUND = {"/no-such-page/"}
BAD_REQUEST = {"/reminders/unsubscribe/?token=not-ours"}

# Runs in the page: axe over the whole document, only the WCAG A/AA rules up to 2.2.
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, count: v.nodes.length,
    target: v.nodes.length ? JSON.stringify(v.nodes[0].target) : "",
    summary: v.nodes.length ? (v.nodes[0].failureSummary || "").replace(/\\s+/g, " ") : "",
  }));
}"""


@cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@dataclass
class Views:
    """A theme and a width, each with its own browser context (and page), opened once."""

    theme: str
    width_name: str
    context: Any
    page: Any


@pytest.fixture(scope="module")
def axe_views(chromium: Any) -> Iterator[list[Views]]:
    require(
        AXE_SCRIPT.exists(),
        "axe-core is not installed: run `make install` (npm ci --ignore-scripts)",
    )
    views = []
    for theme in THEMES:
        for width_name, viewport in VIEWPORTS.items():
            context = chromium.new_context(
                viewport=viewport,
                color_scheme=theme,
                timezone_id=BROWSER_TIMEZONE,
                bypass_csp=True,  # lets the test inject axe; the pages' CSP is not changed
                **({"is_mobile": True, "has_touch": True} if width_name == "phone" else {}),
            )
            views.append(Views(theme, width_name, context, context.new_page()))
    yield views
    for view in views:
        view.context.close()


@pytest.fixture
def week_of_use(make_user: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A person after a week (signed in), a staff member (signed in): their session cookies and
    the ids the detail pages need."""
    from routinie.privacy.models import DataExport
    from routinie.support.models import Conversation
    from routinie.tracking.entries.breaks import pause_timer
    from routinie.tracking.entries.services import create_entry, create_project
    from routinie.tracking.models import ForgottenTimer, Routine, TimeEntry
    from routinie.tracking.routines.schedules import ScheduleSpec
    from routinie.tracking.routines.services import check_in, create_routine

    settings.DATA_DIR = tmp_path
    filled = fill_every_table(make_user, "Axe")  # a running timer, an entry, a routine, ...
    user = filled.user
    writing, _ = create_project(user=user, name="Writing", color="#8a3ffc")
    now = timezone.now().replace(microsecond=0)
    for days_ago, hours, project, tags in [
        (0, 2, writing.id, ["draft", "focus"]),
        (1, 3, None, ["admin"]),
        (2, 1, writing.id, []),
    ]:
        start = now - timedelta(days=days_ago, hours=hours + 1)
        create_entry(
            user=user,
            start=start,
            end=start + timedelta(hours=hours),
            description=f"Chapter {days_ago + 1}",
            project_id=project,
            tags=tags,
            breaks=[(start + timedelta(minutes=30), start + timedelta(minutes=45))],
        )
    # The running timer forgotten (issue 17): its banner on every member page.
    TimeEntry.objects.filter(user=user, end__isnull=True).update(start=now - timedelta(hours=9))
    ForgottenTimer.objects.filter(user=user).update(kept_at=None)
    pause_timer(user=user)  # the timer page shows its paused state (issue 17)
    water, _ = create_routine(
        user=user, name="Water", schedule=ScheduleSpec("daily"), target_value=8, target_unit="cups"
    )
    today = datetime.now(UTC).date()
    for days_ago, status, value in [(1, "done", 8), (2, "done", 5), (3, "skipped", None)]:
        check_in(
            user=user,
            routine_id=water.id,
            day=today - timedelta(days=days_ago),
            status=status,
            value=value,
        )
    ready = timezone.now()
    DataExport.objects.create(
        user=user,
        status=DataExport.Status.READY,
        progress=100,
        file_name="ready.zip",
        size_bytes=40960,
        finished_at=ready,
        expires_at=ready + timedelta(days=7),
    )
    staff_member = new_user("Sam Staff", "sam@wesrom.test", staff=True)
    staff_client = sign_in(staff_member, PASSWORD)
    routine = Routine.objects.filter(user=user).exclude(pk=water.pk).get()
    return {
        "cookies": {
            "anonymous": None,
            "member": filled.client.cookies["routinie_session"].value,
            "staff": staff_client.cookies["routinie_session"].value,
        },
        "ids": {
            "routine": routine.pk,
            "entry": TimeEntry.objects.filter(user=user, end__isnull=False).earliest("start").pk,
            "running": TimeEntry.objects.get(user=user, end__isnull=True).pk,
            "conversation": Conversation.objects.get(user=user).pk,
            "post": "post-for-axe",
            "unsubscribe": quote(unsubscribe_token(user.pk, routine.pk)),
        },
    }


def violations_on(view: Views, url: str, session: str | None, expect_status: int) -> list[str]:
    """Load `url` in this view as the persona (its session cookie), run axe, describe each rule
    broken."""
    view.context.clear_cookies()
    if session:
        view.context.add_cookies([{"name": "routinie_session", "value": session, "url": url}])
    response = view.page.goto(url, wait_until="load")
    where = f"[{view.theme}, {view.width_name} {view.page.viewport_size['width']}px]"
    assert response is not None
    assert response.status == expect_status, f"{url} {where}: HTTP {response.status}"
    view.page.add_script_tag(content=axe_source())
    return [
        f"{v['id']} ({v['impact']}, {v['count']} node(s)) on {url} {where}: {v['help']}. "
        f"First: {v['target']}: {v['summary']}"
        for v in view.page.evaluate(RUN_AXE, AXE_TAGS)
    ]


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_page_passes_axe_wcag22_aa_light_and_dark_desktop_and_phone(
    persona: str,
    path: str,
    live_server: Any,
    axe_views: list[Views],
    week_of_use: dict[str, Any],
) -> None:
    url = live_server.url + path.format(**week_of_use["ids"])
    status = 404 if path in NOT_FOUND else 400 if path in BAD_REQUEST else 200
    found: list[str] = []
    for view in axe_views:
        found += violations_on(view, url, week_of_use["cookies"][persona], status)
    assert not found, f"{len(found)} axe violation(s):\n" + "\n".join(found)
