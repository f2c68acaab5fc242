"""The policy's answers to accounts' hooks (accounts sits below policy and never imports it):
what sign-up checks and records, the version `/me` shows, the banner of a new version, and the
notice a new account gets. `PolicyConfig.ready()` registers them."""

from typing import Any

from django.http import HttpRequest

from routinie.accounts.context import Banner
from routinie.accounts.models import User
from routinie.core.htmx import is_htmx
from routinie.policy.notices import notify_new_account
from routinie.policy.selectors import policy_in_force, version_accepted_by
from routinie.policy.services import record_acceptance, show_policy_banner


class PolicyTermsInForce:
    """`routinie.accounts.policy_terms.PolicyTerms`: the published versions in this database."""

    def version_in_force(self) -> int | None:
        current = policy_in_force()
        return current.version if current else None

    def record_acceptance(self, *, user: User, version: int) -> None:
        record_acceptance(user=user, version=version)

    def version_accepted_by(self, user: User) -> int | None:
        return version_accepted_by(user)


def new_version_banner(request: HttpRequest, user: User) -> Banner | None:
    """The news of a version in force since `user` signed up, once (`show_policy_banner`)."""
    # Only on whole pages: the banner is recorded as shown the first time it renders.
    if request.method != "GET" or is_htmx(request):
        return None
    return show_policy_banner(user)


def tell_new_account(sender: Any, *, user: User, **kwargs: Any) -> None:
    """Receiver of `account_created`: a version announced but not yet in force is told too."""
    notify_new_account(user)
