"""Writing, announcing and publishing privacy policy versions (P15).

A version is a draft until published. Announcing queues one notice e-mail per account. A
version that reduces rights can only be published once every account has been told, the last
of those told before the announcement at least POLICY_NOTICE_DAYS days before the version
takes effect. Each step is one transaction: a refused step changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import Conflict, InvalidInput, NotFound
from routinie.policy.facts import render_facts
from routinie.policy.models import PolicyNotice, PolicyVersion
from routinie.policy.notices import start_policy_notices

PAST_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class NoticeCoverage:
    accounts: int
    told: int
    last_told_at: datetime | None  # the last notice to an account older than the announcement

    @property
    def pending(self) -> int:
        return self.accounts - self.told

    @property
    def earliest_effective_at(self) -> datetime | None:
        if self.pending or self.last_told_at is None:
            return None
        return self.last_told_at + timedelta(days=settings.POLICY_NOTICE_DAYS)


def notice_coverage(version: PolicyVersion) -> NoticeCoverage:
    told = PolicyNotice.objects.filter(version=version)
    before = told.filter(user__created_at__lt=version.announced_at or timezone.now())
    return NoticeCoverage(
        accounts=User.objects.count(),
        told=told.count(),
        last_told_at=before.aggregate(last=Max("sent_at"))["last"],
    )


def save_draft(
    *,
    version: PolicyVersion | None = None,
    source: str,
    summary: str,
    effective_at: datetime,
    reduces_rights: bool,
) -> PolicyVersion:
    """Create or change a draft; its text is the source with today's facts."""
    if not source.strip():
        raise InvalidInput.on("source", "Write the policy's text.", "required")
    if not summary.strip():
        raise InvalidInput.on("summary", "Say in plain words what changes.", "required")
    text = render_facts(source)
    with transaction.atomic():
        if version is None:
            number = (PolicyVersion.objects.aggregate(n=Max("version"))["n"] or 0) + 1
            version = PolicyVersion(version=number)
        elif _locked(version.pk).published_at is not None:
            raise Conflict("A published version cannot change; write a new version.")
        version.source, version.text, version.summary = source, text, summary.strip()
        version.effective_at, version.reduces_rights = effective_at, reduces_rights
        version.save()
    return version


def _locked(version_id: int) -> PolicyVersion:
    version = PolicyVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise NotFound("No such policy version.")
    return version


def announce_version(*, version_id: int) -> PolicyVersion:
    """Queue the notice e-mails (once: announcing again only resumes what is missing)."""
    with transaction.atomic():
        version = _locked(version_id)
        if version.published_at is not None and version.effective_at <= timezone.now():
            raise Conflict("This version is already in force; there is nothing to announce.")
        if version.announced_at is None:
            version.announced_at = timezone.now()
            version.save(update_fields=["announced_at"])
        transaction.on_commit(lambda: start_policy_notices.enqueue(version.pk))
    return version


def _check_dates(version: PolicyVersion, now: datetime) -> None:
    if version.effective_at < now - PAST_TOLERANCE:
        raise InvalidInput.on(
            "effective_at", "The effective date has passed; choose a later one.", "in_the_past"
        )
    later = PolicyVersion.objects.filter(
        published_at__isnull=False, effective_at__gte=version.effective_at
    ).exists()
    if later:
        raise InvalidInput.on(
            "effective_at",
            "A published version takes effect on or after this date; choose a later one.",
            "not_after_previous",
        )


def _check_notice(version: PolicyVersion) -> None:
    days = settings.POLICY_NOTICE_DAYS
    if version.announced_at is None:
        raise Conflict(
            f"This version reduces users' rights: announce it first, so every account is "
            f"told by e-mail at least {days} days before it takes effect."
        )
    coverage = notice_coverage(version)
    if coverage.pending:
        raise Conflict(
            f"This version reduces users' rights and {coverage.pending} account(s) have not "
            "been told by e-mail yet; publish when the notices are out."
        )
    earliest = coverage.earliest_effective_at
    if earliest is not None and version.effective_at < earliest:
        raise Conflict(
            f"This version reduces users' rights: the last notice went out on "
            f"{coverage.last_told_at:%d %B %Y}, so it can take effect on {earliest:%d %B %Y} "
            f"at the earliest ({days} days later). Move the effective date."
        )


def publish_version(*, version_id: int) -> PolicyVersion:
    """Publish a draft: it takes effect on its date and joins the history."""
    now = timezone.now()
    with transaction.atomic():
        version = _locked(version_id)
        if version.published_at is not None:
            raise Conflict("This version is already published.")
        _check_dates(version, now)
        if version.reduces_rights:
            _check_notice(version)
        version.published_at = now
        version.save(update_fields=["published_at"])
    return version
