"""The blog app's deadlines for the purge job (see privacy/retention.py)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from routinie.blog.models import Comment
from routinie.core.data_rules import RetentionRule


def comment_ips_past_retention(now: datetime) -> QuerySet[Comment]:
    """Comments older than BLOG_COMMENT_IP_DAYS that still hold an IP address."""
    deadline = now - timedelta(days=settings.BLOG_COMMENT_IP_DAYS)
    return Comment.objects.filter(created_at__lt=deadline, ip_address__isnull=False)


def rejected_comments_past_retention(now: datetime) -> QuerySet[Comment]:
    deadline = now - timedelta(days=settings.BLOG_REJECTED_COMMENT_DAYS)
    return Comment.objects.filter(status=Comment.Status.REJECTED, moderated_at__lt=deadline)


RULES: list[RetentionRule] = [
    RetentionRule("blog comment IP addresses", comment_ips_past_retention, clear=("ip_address",)),
    RetentionRule("rejected blog comments", rejected_comments_past_retention),
]
