"""The limits of signing in and signing up (P12); the counting is `core.throttling`'s."""

from collections.abc import Callable

from django.conf import settings

from routinie.core.throttling import Limit


def sign_in_per_account() -> Limit:
    return Limit(
        "sign-in-account",
        settings.LOGIN_THROTTLE_PER_ACCOUNT,
        settings.LOGIN_THROTTLE_WINDOW_SECONDS,
    )


def sign_in_per_client() -> Limit:
    return Limit(
        "sign-in-client", settings.LOGIN_THROTTLE_PER_CLIENT, settings.LOGIN_THROTTLE_WINDOW_SECONDS
    )


def sign_up_per_client() -> Limit:
    return Limit("sign-up-client", settings.SIGNUP_THROTTLE_PER_CLIENT, 3600)


def reset_per_client() -> Limit:
    return Limit("password-reset-client", settings.PASSWORD_RESET_THROTTLE_PER_CLIENT, 3600)


def reset_per_address() -> Limit:
    return Limit("password-reset-address", settings.PASSWORD_RESET_THROTTLE_PER_ADDRESS, 3600)


# Wrong two-factor codes per account: 5 in 15 minutes (a guess is one in a million, three steps
# accepted: about 15 in a million per window). The window is the sign-in throttle's.
TWO_FACTOR_ATTEMPTS = 5


def two_factor_per_account() -> Limit:
    return Limit("two-factor-account", TWO_FACTOR_ATTEMPTS, settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def reauth_per_account() -> Limit:
    """Wrong passwords when confirming it's you, counted with the sign-in's per account."""
    return sign_in_per_account()


def counted_attempt(limit: Limit, identity: str, attempt: Callable[[], bool]) -> bool:
    """Run `attempt` (a check of a code or a password) under `limit`: RateLimited once the
    limit is used up, even for a right answer; a wrong answer counts, a right one does not.
    The one place two-factor codes and "confirm it's you" meet the throttle's counting."""
    slot = limit.take(identity)
    if attempt():
        slot.give_back()
        return True
    return False
