"""Writing posts (the admin is the console): a unique slug from the title, a publishing time."""

from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from routinie.blog.models import TITLE_MAX, Post
from routinie.core.errors import NotFound
from routinie.core.safe_markdown import render_markdown

RENDERED_KEPT_SECONDS = 3600


def unique_slug(*, title: str, exclude_pk: int | None = None) -> str:
    """A slug made from `title`, with -2, -3 … appended while another post has it."""
    base = slugify(title)[: TITLE_MAX - 8].strip("-") or "post"
    taken = Post.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slugs = set(taken.values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in slugs:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def publication_defaults(
    *, title: str, slug: str, is_draft: bool, published_at: datetime | None, pk: int | None
) -> tuple[str, datetime | None]:
    """What staff may leave empty, filled: the slug (from the title), and the publishing time
    of a post that is not a draft (now)."""
    if not slug:
        slug = unique_slug(title=title, exclude_pk=pk)
    if not is_draft and published_at is None:
        published_at = timezone.now()
    return slug, published_at


def prepare_for_saving(post: Post) -> Post:
    """Fill the post's empty slug and publishing time (see publication_defaults)."""
    post.slug, post.published_at = publication_defaults(
        title=post.title,
        slug=post.slug,
        is_draft=post.is_draft,
        published_at=post.published_at,
        pk=post.pk,
    )
    return post


def published_posts() -> QuerySet[Post]:
    """Posts the public may read now, newest first."""
    return Post.objects.filter(is_draft=False, published_at__lte=timezone.now()).order_by(
        "-published_at", "-id"
    )


def post_for_reader(*, slug: str, staff: bool) -> Post:
    """The post at `slug`: public ones for everybody, drafts and scheduled ones for staff."""
    posts = Post.objects.all() if staff else published_posts()
    post = posts.filter(slug=slug).first()
    if post is None:
        raise NotFound("There is no post at this address.")
    return post


def body_html(post: Post) -> SafeString:
    """The post's sanitised HTML. Markdown takes ~10 ms for a long post, so the result is kept
    in the cache for an hour under the post's id and last change (a public text, no one's data)."""
    key = f"blog-post-html:{post.pk}:{post.updated_at.timestamp()}"
    html: str | None = cache.get(key)
    if html is None:
        html = str(render_markdown(post.body))
        cache.set(key, html, RENDERED_KEPT_SECONDS)
    return mark_safe(html)  # noqa: S308 (sanitised by render_markdown before it was kept)
