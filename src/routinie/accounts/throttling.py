"""The limits of signing in and signing up (P12); the counting is `core.throttling`'s."""

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
