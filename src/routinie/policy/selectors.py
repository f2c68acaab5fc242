"""Reads of the privacy policy."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from routinie.core.safe_markdown import render_markdown
from routinie.policy.models import PolicyAcceptance, PolicyVersion

if TYPE_CHECKING:
    from routinie.accounts.models import User


def published_versions() -> QuerySet[PolicyVersion]:
    """Every published version already in force or announced, newest first."""
    return PolicyVersion.objects.filter(published_at__isnull=False).order_by("-version")


def policy_in_force() -> PolicyVersion | None:
    """The version in force now: the newest published one whose effective date has come."""
    return published_versions().filter(effective_at__lte=timezone.now()).first()


def version_accepted_by(user: "User") -> int | None:
    acceptance = (
        PolicyAcceptance.objects.filter(user=user)
        .select_related("version")
        .order_by("-version__version")
        .first()
    )
    return acceptance.version.version if acceptance else None


def render_policy_text(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no script, no style, no foreign embed survives. A table
    scrolls sideways on a narrow screen (policy.css), so it takes the keyboard's focus too."""
    html = str(render_markdown(text)).replace("<table>", '<table tabindex="0">')
    return mark_safe(html)  # noqa: S308 (sanitised by render_markdown; one attribute added)


def upcoming_versions() -> QuerySet[PolicyVersion]:
    """Published versions not yet in force, and announced drafts (their text is public)."""
    from django.db.models import Q

    return PolicyVersion.objects.filter(
        Q(published_at__isnull=False) | Q(announced_at__isnull=False),
        effective_at__gt=timezone.now(),
    ).order_by("version")


def public_version(number: int) -> PolicyVersion | None:
    """A version anyone may read: published, or announced to every account."""
    from django.db.models import Q

    return (
        PolicyVersion.objects.filter(version=number)
        .filter(Q(published_at__isnull=False) | Q(announced_at__isnull=False))
        .first()
    )


def policy_banner(user: "User") -> tuple[PolicyVersion, dict[str, str]] | None:
    """The news that a new version is in force since the user signed up, with that version,
    unless the user accepted it or was already shown it. A pure read: the service
    `policy.services.show_policy_banner` records it shown (once per version)."""
    from routinie.policy.models import PolicyBannerShown

    current = policy_in_force()
    if current is None or current.effective_at <= user.created_at:
        return None
    accepted = version_accepted_by(user)
    if accepted is not None and accepted >= current.version:
        return None
    if PolicyBannerShown.objects.filter(user=user, version=current).exists():
        return None
    changes = f"/privacy/changes/?from={accepted}&to={current.version}" if accepted else "/privacy/"
    return current, {
        "kind": "info",
        "text": (
            f"Our privacy policy changed on {current.effective_at:%d %B %Y} "
            f"(version {current.version}): {current.summary}"
        ),
        "link": changes,
        "link_text": "See what changed",
    }
