"""Blog tables: posts written by staff, and comments anyone may leave (moderated)."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TITLE_MAX = 200
SUMMARY_MAX = 500
NAME_MAX = 100
TEXT_MAX = 5000


class Post(models.Model):
    """A post, in Markdown. Public once it is not a draft and its publishing time has come."""

    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(
        max_length=TITLE_MAX,
        unique=True,
        blank=True,
        help_text="The post's address, /blog/<slug>/. Left empty, it is made from the title.",
    )
    summary = models.TextField(
        max_length=SUMMARY_MAX, blank=True, help_text="A sentence or two for the list and feed."
    )
    body = models.TextField(
        help_text="Markdown. Scripts, embeds and images from other sites are removed."
    )
    author_name = models.CharField("author", max_length=150, help_text="Shown as the author.")
    is_draft = models.BooleanField(
        "draft", default=True, help_text="A draft is seen by staff only (a preview)."
    )
    published_at = models.DateTimeField(
        "publishing time",
        null=True,
        blank=True,
        help_text="Public from this time on; a future time schedules the post. "
        "Empty when publishing: now.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["is_draft", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_draft=True) | Q(published_at__isnull=False),
                name="blog_post_published_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/blog/{self.slug}/"

    def is_public(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return not self.is_draft and self.published_at is not None and self.published_at <= moment


class Comment(models.Model):
    """A reader's comment: plain text, shown once staff approved it (or its author is known).
    The IP address is kept for abuse handling and cleared after BLOG_COMMENT_IP_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", "awaiting moderation"
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blog_comments",
    )
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField("e-mail", blank=True)
    text = models.TextField(max_length=TEXT_MAX)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["created_at"], name="blog_comment_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="blog_comment_status_known",
            ),
        ]

    def __str__(self) -> str:
        # No name or e-mail: this text lands in the admin's change log.
        return f"Comment {self.pk} on {self.post_id}"
