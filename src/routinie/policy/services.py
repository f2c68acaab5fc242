"""Writes about the privacy policy."""

from typing import TYPE_CHECKING

from routinie.core.errors import InvalidInput
from routinie.policy.models import PolicyAcceptance, PolicyBannerShown
from routinie.policy.selectors import policy_banner, policy_in_force

if TYPE_CHECKING:
    from routinie.accounts.models import User


def record_acceptance(*, user: "User", version: int) -> PolicyAcceptance:
    """Record that `user` accepted `version`, which must be the version in force."""
    current = policy_in_force()
    if current is None or version != current.version:
        shown = current.version if current else "none"
        raise InvalidInput.on(
            "accept_policy_version",
            f"Please accept the privacy policy in force (version {shown}).",
            "policy_version_mismatch",
        )
    acceptance, _ = PolicyAcceptance.objects.get_or_create(user=user, version=current)
    return acceptance


def show_policy_banner(user: "User") -> dict[str, str] | None:
    """Once per version, the banner about a new version in force since the user signed up,
    recorded as shown; None when there is none or it was shown already (also when another
    request showed it a moment ago: the record is unique per user and version)."""
    news = policy_banner(user)
    if news is None:
        return None
    version, banner = news
    _, created = PolicyBannerShown.objects.get_or_create(user=user, version=version)
    return banner if created else None
