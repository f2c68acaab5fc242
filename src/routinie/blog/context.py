"""Whether the blog has anything to read yet: the menus link to it only then.

Every page asks, so the answer is kept in the cache: the publishing time of the earliest post
that is not a draft (or none). A post saved or deleted forgets it; a post scheduled for later
shows the link from its publishing time on, without a write.
"""

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from routinie.blog.models import Post

FIRST_PUBLICATION_KEY = "blog:first-publication"
NONE_YET = "none"  # cached for "no post", which the cache cannot tell from a miss
KEPT_SECONDS = 3600


def first_publication() -> datetime | None:
    """The publishing time of the earliest post that is not a draft, read once an hour."""
    kept = cache.get(FIRST_PUBLICATION_KEY)
    if kept is None:
        found = Post.objects.filter(is_draft=False).aggregate(first=Min("published_at"))
        kept = found["first"] or NONE_YET
        cache.set(FIRST_PUBLICATION_KEY, kept, KEPT_SECONDS)
    return None if kept == NONE_YET else kept


def blog_has_posts() -> bool:
    """True when at least one post is published now."""
    first = first_publication()
    return first is not None and first <= timezone.now()


def blog_links(request: HttpRequest) -> dict[str, Any]:
    """`blog_has_posts` for the templates, worked out only where a template asks."""
    return {"blog_has_posts": SimpleLazyObject(blog_has_posts)}


@receiver(post_save, sender=Post, dispatch_uid="blog-forget-first-publication-saved")
@receiver(post_delete, sender=Post, dispatch_uid="blog-forget-first-publication-deleted")
def forget_first_publication(sender: Any, **kwargs: Any) -> None:
    cache.delete(FIRST_PUBLICATION_KEY)
