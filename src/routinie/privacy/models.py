"""Privacy records: data exports, purge runs, consents, legal requests, disclosures and the
staff access log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now

Owner = settings.AUTH_USER_MODEL


class DataExport(models.Model):
    """A zip of everything personal the registry lists for one user (P18)."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        BUILDING = "building"
        READY = "ready"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    # Which build run owns it: each run (a first one, or one again after its worker died) takes
    # the next number, writes its own partial file and may finish only while it is the owner.
    attempt = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True, default="")
    size_bytes = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"Export {self.id} ({self.status})"


class PurgeRun(models.Model):
    """What one run of the retention purge removed: counts only, never what it was (P20)."""

    started_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Purge {self.started_at:%Y-%m-%d %H:%M}"


class Consent(models.Model):
    """A user's written permission to disclose some of their data to someone (P09)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="consents")
    recipient = models.CharField(max_length=200)
    purpose = models.CharField(max_length=500)
    scope = models.JSONField(
        help_text='Registry categories that may be released, e.g. ["content you track"].'
    )
    evidence = models.TextField(help_text="The written request, e.g. the e-mail's text.")
    granted_at = models.DateTimeField(default=now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Consent to {self.recipient}"


class LegalRequest(models.Model):
    """A request from an authority that the law obliges Wesrom to answer (P09)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    authority = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300)
    reference = models.CharField(max_length=100)
    asked_for = models.TextField()
    scope = models.JSONField(help_text="Registry categories the law obliges us to release.")
    received_at = models.DateTimeField(default=now)
    granted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.authority} {self.reference}"


class Disclosure(models.Model):
    """A release of a user's data to anyone but that user, with the record that allowed it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent = models.ForeignKey(Consent, on_delete=models.SET_NULL, null=True, blank=True)
    legal_request = models.ForeignKey(
        LegalRequest, on_delete=models.SET_NULL, null=True, blank=True
    )
    recipient = models.CharField(max_length=200)
    categories = models.JSONField()
    released_at = models.DateTimeField(default=now)
    released_by = models.ForeignKey(Owner, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Disclosure to {self.recipient}"


class StaffAccess(models.Model):
    """A staff member looked at a user's personal data in the admin (shown in their export)."""

    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="staff_accesses")
    staff = models.ForeignKey(Owner, on_delete=models.SET_NULL, null=True, related_name="+")
    what = models.CharField(max_length=200)
    at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"
