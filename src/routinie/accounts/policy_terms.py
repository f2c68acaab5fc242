"""The privacy policy as accounts needs it: a hook that the policy app fills.

Accounts sits below policy in the layers (core < accounts < policy, privacy < features), so it
never imports it. Yet sign-up must refuse a stale policy version and record the one accepted,
the sign-up page names the version in force, and `/me` shows the version a person accepted.
The policy app registers its `PolicyTerms` from `PolicyConfig.ready()`; asking for them when
none are registered raises ImproperlyConfigured, so no account is ever made without a policy.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from routinie.accounts.models import User


class PolicyTerms(Protocol):
    """What accounts asks of the privacy policy."""

    def version_in_force(self) -> int | None:
        """The number of the version in force now; None before the first is published."""
        ...

    def record_acceptance(self, *, user: User, version: int) -> None:
        """Record that `user` accepted `version`; InvalidInput when it is not the one in force."""
        ...

    def version_accepted_by(self, user: User) -> int | None:
        """The newest version `user` accepted; None when they accepted none."""
        ...


_registered: PolicyTerms | None = None


def register_policy_terms(terms: PolicyTerms) -> None:
    """Called once by the policy app when it is ready; a later call replaces the terms."""
    global _registered
    _registered = terms


def policy_terms() -> PolicyTerms:
    """The registered terms; ImproperlyConfigured when the policy app registered none."""
    if _registered is None:
        raise ImproperlyConfigured(
            "No privacy policy terms are registered: sign-up needs routinie.policy in "
            "INSTALLED_APPS (its PolicyConfig.ready() registers them)."
        )
    return _registered
