"""Small factories for the blog's tests: posts, and comment forms posted as a browser would."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from routinie.blog.comment_guard import issue_form_token
from routinie.blog.models import Post

ORIGIN = "http://testserver"


@pytest.fixture
def make_post(db: None) -> Callable[..., Post]:
    counter = iter(range(1, 10_000))

    def factory(**fields: Any) -> Post:
        n = next(counter)
        defaults: dict[str, Any] = {
            "title": f"Post {n}",
            "slug": f"post-{n}",
            "body": f"Body of post {n}.",
            "author_name": "Wes Rom",
            "is_draft": False,
            "published_at": timezone.now() - timedelta(hours=n),
        }
        return Post.objects.create(**{**defaults, **fields})

    return factory


def old_token(post: Post, seconds: int = 30) -> str:
    """A form token issued `seconds` ago, as if a person had taken that long to write."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds)):
        return issue_form_token(post_id=post.pk)


def comment(client: Client, post: Post, **fields: Any) -> Any:
    """Post the comment form of `post` from our own origin, with a token old enough."""
    headers = {"HTTP_ORIGIN": ORIGIN, **{k: v for k, v in fields.items() if k.startswith("HTTP_")}}
    fields = {k: v for k, v in fields.items() if not k.startswith("HTTP_")}
    data = {"name": "Ioana", "email": "", "text": "Nice post.", "website": "", **fields}
    data.setdefault("token", old_token(post))
    return client.post(
        f"/blog/{post.slug}/", {k: v for k, v in data.items() if v is not None}, **headers
    )
