"""Whether the blog has anything to read yet: the menus link to it only then.

One EXISTS query on the index (is_draft, published_at), made only when a page's template asks,
at most once per page. Not cached on purpose: a cached answer would make a page's first view
cost one query more than the next, and every page's query count stays the same this way.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from routinie.blog.posts import published_posts


def blog_has_posts() -> bool:
    """True when at least one post is published now."""
    return published_posts().exists()


def blog_links(request: HttpRequest) -> dict[str, Any]:
    """`blog_has_posts` for the templates, worked out only where a template asks."""
    return {"blog_has_posts": SimpleLazyObject(blog_has_posts)}
