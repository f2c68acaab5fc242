"""Privacy policy versions and who accepted which (P15)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    version = models.PositiveIntegerField(unique=True)
    effective_at = models.DateTimeField()
    text = models.TextField(help_text="Markdown; sanitised when rendered.")
    summary = models.TextField(help_text="What changed, in plain words.")
    reduces_rights = models.BooleanField(default=False)
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
