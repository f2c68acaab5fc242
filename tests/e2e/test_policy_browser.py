"""In Chromium: read the privacy policy, its history, an earlier version and the differences."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from routinie.policy.facts import render_facts
from routinie.policy.models import PolicyVersion
from routinie.policy.selectors import policy_in_force
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _second_version() -> PolicyVersion:
    """Version 2, in force since yesterday: one sentence more, the retention of comments IPs
    shortened (set up directly: the publishing rules have their own tests)."""
    first = policy_in_force()
    source = first.source.replace(
        "## Statistics",
        "## Reminders\n\nWe send you a reminder only when you ask.\n\n## Statistics",
    )
    return PolicyVersion.objects.create(
        version=2,
        source=source,
        text=render_facts(source),
        summary="A section about reminders.",
        effective_at=timezone.now() - timedelta(days=1),
        published_at=timezone.now() - timedelta(days=40),
        reduces_rights=False,
    )


@pytest.mark.promise("P15")
def test_a_visitor_reads_the_history_and_the_differences_between_versions(
    live_server, page, screenshot
):
    _second_version()
    problems = watch_for_problems(page)
    page.goto(url_of(live_server, "/privacy/"))
    expect(page.get_by_text("Version 2, in force since")).to_be_visible()
    history = page.get_by_test_id("policy-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("A section about reminders.")
    screenshot(page, "policy")

    history.get_by_role("link", name="changes").click()
    expect(page).to_have_url(url_of(live_server, "/privacy/changes/?from=1&to=2"))
    diff = page.get_by_test_id("policy-diff")
    expect(diff.locator(".diff-added")).to_contain_text(["## Reminders"])
    expect(diff.locator(".diff-added")).to_contain_text(
        ["We send you a reminder only when you ask."]
    )
    screenshot(page, "policy-changes")

    page.get_by_role("link", name="version 1").first.click()
    expect(page.get_by_text("Version 1, in force from")).to_be_visible()
    expect(page.get_by_test_id("policy-text")).not_to_contain_text("Reminders")

    page.goto(url_of(live_server, "/privacy/"))
    page.get_by_label("Compare version").select_option("2")
    page.get_by_label("with version").select_option("1")
    page.get_by_role("button", name="Show the differences").click()
    expect(page.get_by_test_id("policy-diff").locator(".diff-removed")).to_contain_text(
        ["We send you a reminder only when you ask."]
    )
    assert problems.all() == []
