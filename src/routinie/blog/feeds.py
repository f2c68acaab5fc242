"""The blog's Atom feed (/blog/feed/): the newest published posts with their full, sanitised
text. Links are absolute on settings.SITE_URL, whatever host the request came to."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed

from routinie.blog.models import Post
from routinie.blog.posts import body_html, published_posts

ENTRIES = 20


class AtomWithContent(Atom1Feed):
    """Atom 1.0 whose entries carry the whole post in <content type="html">."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement(
            "content", item["content_html"], {"type": "html", "xml:base": item["link"]}
        )


class PostsFeed(Feed[Post, Any]):
    feed_type = AtomWithContent

    def title(self) -> str:
        return f"Routinie blog · {settings.OPERATOR_NAME}"

    def subtitle(self) -> str:
        return "News and notes from the Routinie team."

    def link(self) -> str:
        return f"{settings.SITE_URL}/blog/"

    def feed_url(self) -> str:
        return f"{settings.SITE_URL}/blog/feed/"

    def feed_guid(self) -> str:
        return self.feed_url()

    def items(self) -> QuerySet[Post]:
        return published_posts()[:ENTRIES]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.summary or item.title

    def item_link(self, item: Post) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_guid(self, item: Post) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:blog-post-{item.pk}"

    def item_author_name(self, item: Post) -> str:
        return item.author_name

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        published = item.published_at or item.updated_at
        return max(item.updated_at, published)

    def item_extra_kwargs(self, item: Post) -> dict[str, Any]:
        return {"content_html": str(body_html(item))}
