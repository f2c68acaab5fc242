"""Writes about the privacy policy."""

from typing import TYPE_CHECKING

from routinie.core.errors import InvalidInput
from routinie.policy.models import PolicyAcceptance
from routinie.policy.selectors import policy_in_force

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
