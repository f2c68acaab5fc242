"""Two-factor sign-in (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps) and its recovery codes.

Turning it on takes the password (`begin`: a new secret, not active yet), then a code from the
authenticator app (`confirm`: on from now, ten recovery codes). From then on signing in, making
an API token and confirming it's you (`reauth`) also take a code: a current TOTP code, each
accepted once (the last used time step is remembered), or an unused recovery code, each usable
once. Wrong codes are throttled per account. Pages, the API and commands call these functions.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from routinie.accounts import recovery_codes, throttling
from routinie.accounts.models import TwoFactor, User
from routinie.core.errors import Conflict, InvalidInput, NotAuthenticated

ISSUER = "Routinie"
# A set-up begun and never confirmed is purged after this long (accounts/retention.py).
UNCONFIRMED_SETUP = timedelta(days=1)
STEP_SECONDS = 30
DIGITS = 6
# A code of the step before or after this one is accepted too (clocks drift; typing takes time).
DRIFT_STEPS = 1

CODE_NEEDED = (
    "A two-factor code is needed: the 6-digit code of your authenticator app, "
    "or one of your recovery codes."
)
CODE_WRONG = "That two-factor code is not right (or it was already used)."


@dataclass(frozen=True)
class Setup:
    secret: str
    otpauth_uri: str

    @property
    def grouped(self) -> str:
        """The secret in groups of four, as people type it into an app."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def is_on(user: User) -> bool:
    return TwoFactor.objects.filter(user=user, enabled_at__isnull=False).exists()


def enabled_at(user: User) -> datetime | None:
    return (
        TwoFactor.objects.filter(user=user, enabled_at__isnull=False)
        .values_list("enabled_at", flat=True)
        .first()
    )


def _check_password(user: User, password: str) -> None:
    if not password or not user.check_password(password):
        raise InvalidInput.on("password", "Your password is not right.", "wrong_password")


def _setup_of(user: User, secret: str) -> Setup:
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )
    return Setup(secret=secret, otpauth_uri=uri)


def begin(*, user: User, password: str) -> Setup:
    """A new secret for `user`'s authenticator app; not active until `confirm`."""
    _check_password(user, password)
    if is_on(user):
        raise Conflict("Two-factor sign-in is already on. Turn it off first to set it up again.")
    secret = pyotp.random_base32()  # 32 characters: 160 bits, as RFC 4226 recommends
    TwoFactor.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "created_at": timezone.now(), "last_used_step": 0},
    )
    return _setup_of(user, secret)


def pending_setup(user: User) -> Setup | None:
    """The set-up begun and not confirmed yet (shown again on the page until confirmed)."""
    row = TwoFactor.objects.filter(user=user, enabled_at__isnull=True).first()
    return _setup_of(user, row.secret) if row else None


def unconfirmed_setups(now: datetime) -> QuerySet[TwoFactor]:
    """Set-ups begun over UNCONFIRMED_SETUP ago and never confirmed (for the purge)."""
    return TwoFactor.objects.filter(enabled_at__isnull=True, created_at__lt=now - UNCONFIRMED_SETUP)


def _totp_step_accepted(row: TwoFactor, code: str) -> int | None:
    """The time step whose code `code` is, if it is within the drift and newer than the last
    used one; None otherwise."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(row.secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(time.time()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > row.last_used_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _use_totp(row: TwoFactor, code: str) -> bool:
    step = _totp_step_accepted(row, "".join(code.split()))
    if step is None:
        return False
    # Claimed in one statement: of two requests with the same code, one wins (no replay).
    return bool(
        TwoFactor.objects.filter(pk=row.pk, last_used_step__lt=step).update(last_used_step=step)
    )


def _attempt(user: User, row: TwoFactor, code: str, *, recovery: bool) -> bool:
    """Check a code (TOTP, or also a recovery code), throttled per account: a wrong code counts,
    and once the limit is used even a right one is refused (RateLimited) until the window ends."""
    return throttling.counted_attempt(
        throttling.two_factor_per_account(),
        str(user.pk),
        lambda: _use_totp(row, code) or (recovery and recovery_codes.use_code(user, code)),
    )


def confirm(*, user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; the ten recovery codes."""
    row = TwoFactor.objects.filter(user=user).first()
    if row is None:
        raise Conflict("Set up two-factor sign-in first (with your password).")
    if row.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on.")
    if not _attempt(user, row, code, recovery=False):
        raise InvalidInput.on("code", CODE_WRONG, "wrong_code")
    with transaction.atomic():
        turned_on = TwoFactor.objects.filter(pk=row.pk, enabled_at__isnull=True).update(
            enabled_at=timezone.now()
        )
        if not turned_on:  # a concurrent confirmation won: its codes are the ones
            raise Conflict("Two-factor sign-in is already on.")
        return recovery_codes.replace_codes(user)


def passes(*, user: User, code: str) -> bool:
    """Whether `code` (a TOTP code or an unused recovery code) is right for `user`, who has
    two-factor sign-in on; using it up. Raises RateLimited after too many wrong codes."""
    row = TwoFactor.objects.filter(user=user, enabled_at__isnull=False).first()
    if row is None or not code:
        return False
    return _attempt(user, row, code.strip(), recovery=True)


def require_code(*, user: User, code: str | None) -> None:
    """For signing in and making tokens: nothing when two-factor sign-in is off; else a right
    code, or NotAuthenticated saying a code is needed."""
    if not is_on(user):
        return
    if not code:
        raise NotAuthenticated(CODE_NEEDED)
    if not passes(user=user, code=code):
        raise NotAuthenticated(CODE_WRONG + " " + CODE_NEEDED)


def _check_code(user: User, code: str) -> None:
    if not passes(user=user, code=code):
        raise InvalidInput.on("code", CODE_WRONG, "wrong_code")


def turn_off(*, user: User, password: str, code: str) -> None:
    """Turn two-factor sign-in off (password and a code); the secret and codes are deleted."""
    if not is_on(user):
        raise Conflict("Two-factor sign-in is not on.")
    _check_password(user, password)
    _check_code(user, code)
    with transaction.atomic():
        TwoFactor.objects.filter(user=user).delete()
        user.recovery_codes.all().delete()


def new_recovery_codes(*, user: User, password: str, code: str) -> list[str]:
    """Ten new recovery codes (password and a code); the old ones stop working."""
    if not is_on(user):
        raise Conflict("Two-factor sign-in is not on.")
    _check_password(user, password)
    _check_code(user, code)
    return recovery_codes.replace_codes(user)
