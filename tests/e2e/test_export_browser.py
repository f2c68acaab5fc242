"""The data export in a real browser (headless Debian Chromium over the live server): the
account card's button, the progress bar polling itself, then the download link (P18)."""

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import watch_for_problems
from tests.plugin import run_queued_tasks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/today/")  # where signing in lands


@pytest.mark.promise("P18")
def test_the_progress_bar_turns_into_a_download_link(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    from routinie.privacy.models import DataExport

    problems = watch_for_problems(page)
    user, password = make_user(name="Ana Pop")
    _sign_in(page, live_server, user.email, password)
    page.goto(f"{live_server.url}/account/#export")
    card = page.locator("section#export")
    expect(card.get_by_role("heading", name="Download your data")).to_be_visible()

    card.get_by_role("button", name="Export my data").click()
    progress = card.locator("progress")
    expect(progress).to_be_visible()
    expect(card).to_contain_text("waiting to be built")
    assert page.url == f"{live_server.url}/account/#export"  # htmx: no page load
    export = DataExport.objects.get(user=user)

    # The fragment polls itself: a change on the server shows within a few seconds.
    DataExport.objects.filter(pk=export.pk).update(status="building", progress=40)
    expect(progress).to_have_attribute("value", "40", timeout=5000)
    expect(card).to_contain_text("Building your archive… 40%")
    card.scroll_into_view_if_needed()
    screenshot(page, "export-building")
    DataExport.objects.filter(pk=export.pk).update(status="queued", progress=0)

    run_queued_tasks()
    link = card.get_by_role("link", name="Download the archive")
    expect(link).to_be_visible(timeout=5000)
    expect(progress).to_have_count(0)
    expect(card).to_contain_text("you can download it until")
    expect(card.get_by_role("button", name="Make a new archive")).to_be_visible()
    screenshot(page, "export-ready")

    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename.startswith("routinie-export-")
    assert download.suggested_filename.endswith(".zip")
    assert problems.all() == []
