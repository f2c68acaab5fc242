"""The blog in a real browser (headless Debian Chromium over the live server): a visitor reads a
post and comments on it without any cookie, sees the moderation notice; staff approve it in the
admin; the comment then shows. Screenshots in test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.blog.models import Comment, Post
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BODY = """Routinie keeps your **time** and your **routines**, and nothing else.

- A list item
- Another one

> A quote worth keeping.

Read [the data we keep](/privacy/data/).
"""


@pytest.mark.promise("P08")
@pytest.mark.promise("P11")
def test_a_visitor_comments_staff_approve_and_the_comment_shows(
    live_server, new_page, make_user, screenshot
):
    from playwright.sync_api import expect

    post = Post.objects.create(
        title="Why we keep so little",
        slug="why-we-keep-so-little",
        summary="Privacy by design, in practice.",
        body=BODY,
        author_name="Wes Rom",
        is_draft=False,
        published_at=timezone.now() - timedelta(days=2),
    )
    visitor = new_page()
    problems = watch_for_problems(visitor)
    visitor.goto(f"{live_server.url}/blog/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Blog")
    screenshot(visitor, "blog-list")
    # The visitor reads for a while before commenting (the form refuses bots under 2 s).
    with time_machine.travel(timezone.now() - timedelta(minutes=2)):
        visitor.get_by_role("link", name="Why we keep so little", exact=True).click()
        visitor.wait_for_url(f"{live_server.url}/blog/{post.slug}/")
    expect(visitor.get_by_test_id("post-body").locator("strong").first).to_have_text("time")
    form = visitor.get_by_test_id("comment-form")
    expect(form.locator('input[name="website"]')).not_to_be_visible()
    form.get_by_label("Name").fill("Ioana Pop")
    form.get_by_label("Comment").fill("Thanks for this.\nClear and short.")
    form.get_by_role("button", name="Send comment").click()
    expect(visitor.get_by_test_id("comment-notice")).to_contain_text("awaits moderation")
    expect(visitor.get_by_test_id("comment")).to_have_count(0)
    screenshot(visitor, "blog-post-comment-pending")
    assert visitor.context.cookies() == [], "reading and commenting need no cookie"

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "127.0.0.1"

    staff, password = make_user(name="Wes Staff", email="staff@example.test", superuser=True)
    moderator = new_page()
    sign_in_in_browser(moderator, live_server, staff.email, password)
    moderator.goto(f"{live_server.url}/admin/blog/comment/?status__exact=pending")
    row = moderator.locator("#result_list tbody tr", has_text="Thanks for this.")
    expect(row).to_contain_text("127.0.0.1")
    screenshot(moderator, "blog-admin-pending")
    row.locator('input[name="_selected_action"]').check()
    moderator.locator('select[name="action"]').select_option("approve")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment(s) approved")
    screenshot(moderator, "blog-admin-approved")

    visitor.goto(f"{live_server.url}/blog/{post.slug}/")
    shown = visitor.get_by_test_id("comment")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Ioana Pop")
    assert shown.locator(".comment-text").inner_text() == "Thanks for this.\nClear and short."
    expect(visitor.locator("body")).not_to_contain_text("127.0.0.1")
    screenshot(visitor, "blog-post-comment-approved")
    assert problems.all() == []


def test_a_post_reads_well_at_phone_width(live_server, phone_page, screenshot):
    from playwright.sync_api import expect

    post = Post.objects.create(
        title="A long word: Donaudampfschifffahrtsgesellschaftskapitän",
        slug="long-word",
        body="Supercalifragilisticexpialidocious" * 4 + "\n\n```\n" + "code " * 40 + "\n```\n",
        author_name="Wes Rom",
        is_draft=False,
        published_at=timezone.now() - timedelta(hours=1),
    )
    problems = watch_for_problems(phone_page)
    phone_page.goto(f"{live_server.url}/blog/{post.slug}/")
    expect(phone_page.get_by_test_id("comment-form")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    screenshot(phone_page, "blog-post-phone")
    assert overflow <= 0, "nothing makes the page scroll sideways"
    screenshot(phone_page, "blog-post-phone")
    assert problems.all() == []
