"""The purge clears a comment's IP address after BLOG_COMMENT_IP_DAYS and keeps the comment;
rejected comments go BLOG_REJECTED_COMMENT_DAYS after the decision (P08, P20)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routinie.blog.models import Comment
from routinie.privacy.retention import purge

pytestmark = pytest.mark.django_db


def _comment(post, *, age_days: float, **fields):
    return Comment.objects.create(
        post=post,
        name="Ioana",
        text="Hello",
        ip_address="192.0.2.1",
        created_at=timezone.now() - timedelta(days=age_days),
        **fields,
    )


@pytest.mark.promise("P08")
@pytest.mark.promise("P20")
def test_the_purge_clears_ip_addresses_past_90_days_and_keeps_the_comments(make_post):
    post = make_post()
    old = _comment(post, age_days=90.1)
    young = _comment(post, age_days=89.9)
    counts = purge()
    assert counts["blog comment IP addresses"] == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.ip_address is None
    assert old.text == "Hello"
    assert young.ip_address == "192.0.2.1"
    assert purge()["blog comment IP addresses"] == 0, "a cleared comment is not selected again"


def test_the_ip_retention_follows_its_setting(make_post, settings):
    settings.BLOG_COMMENT_IP_DAYS = 7
    post = make_post()
    week_old = _comment(post, age_days=8)
    purge()
    week_old.refresh_from_db()
    assert week_old.ip_address is None


def test_rejected_comments_are_deleted_30_days_after_the_decision(make_post):
    post = make_post()
    now = timezone.now()
    rejected_long_ago = _comment(
        post, age_days=40, status=Comment.Status.REJECTED, moderated_at=now - timedelta(days=31)
    )
    rejected_lately = _comment(
        post, age_days=40, status=Comment.Status.REJECTED, moderated_at=now - timedelta(days=29)
    )
    approved = _comment(
        post, age_days=400, status=Comment.Status.APPROVED, moderated_at=now - timedelta(days=399)
    )
    pending = _comment(post, age_days=400)
    assert purge()["rejected blog comments"] == 1
    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {rejected_lately.pk, approved.pk, pending.pk}
    assert rejected_long_ago.pk not in remaining


def test_a_dry_run_counts_and_clears_nothing(make_post):
    post = make_post()
    old = _comment(post, age_days=100)
    assert purge(dry_run=True)["blog comment IP addresses"] == 1
    old.refresh_from_db()
    assert old.ip_address == "192.0.2.1"
