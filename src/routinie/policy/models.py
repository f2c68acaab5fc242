"""Privacy policy versions and who accepted which (P15)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    """A version: a draft until published; announced when notice e-mails have been queued."""

    version = models.PositiveIntegerField(unique=True)
    effective_at = models.DateTimeField()
    source = models.TextField(
        blank=True,
        help_text="Markdown with fact placeholders such as {{ data_we_keep }}; staff write this.",
    )
    text = models.TextField(help_text="The source with its facts rendered; sanitised when shown.")
    summary = models.TextField(help_text="What changed, in plain words.")
    reduces_rights = models.BooleanField(default=False)
    announced_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Privacy policy version {self.version}"


class PolicyAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_acceptance_per_version")
        ]

    def __str__(self) -> str:
        return f"Acceptance of version {self.version_id}"


class PolicyNotice(models.Model):
    """The one notice e-mail an account got about a version: recorded as it is sent, never twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_notices"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="notices")
    sent_at = models.DateTimeField()
    message_id = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_notice_per_version")
        ]
        indexes = [models.Index(fields=["version", "sent_at"], name="notice_version_sent")]

    def __str__(self) -> str:
        return f"Notice of version {self.version_id}"


class PolicyBannerShown(models.Model):
    """That a signed-in account was shown the banner about a version now in force (once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_banners"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_banner_per_version")
        ]

    def __str__(self) -> str:
        return f"Banner of version {self.version_id}"
