"""Reads of the privacy policy."""

from typing import TYPE_CHECKING

import markdown
import nh3
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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
    """Markdown to HTML, then sanitised: no script, no style, no foreign embed survives."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 (sanitised just above)
