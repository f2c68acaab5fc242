"""Rows of the blog app for one user, for the export and erasure tests (tests/fill.py)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from routinie.blog.models import Comment, Post


def fill(user: Any, tag: str) -> list[str]:
    """Create this app's rows for `user`, each marked with `tag`; return the markers."""
    post = Post.objects.create(
        title=f"A post for {tag}",
        slug=f"post-for-{tag.lower()}",
        body="Hello.",
        author_name="Staff",
        is_draft=False,
        published_at=timezone.now() - timedelta(days=1),
    )
    Comment.objects.create(
        post=post,
        user=user,
        name=f"Commenter {tag}",
        email=f"comment-{tag.lower()}@example.test",
        text=f"Comment text {tag}",
        ip_address="192.0.2.10",
        status=Comment.Status.APPROVED,
        moderated_at=timezone.now(),
    )
    return [f"Commenter {tag}", f"comment-{tag.lower()}@example.test", f"Comment text {tag}"]
