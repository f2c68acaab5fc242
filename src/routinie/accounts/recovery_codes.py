"""The one-time recovery codes of two-factor sign-in: made ten at a time, shown once, kept only as
a keyed hash (HMAC-SHA256 with the server's secret key), and deleted when used.

A code is 10 random characters of an alphabet without look-alikes (about 50 bits), written
`xxxxx-xxxxx`; it is checked without case, spaces or dashes. The hash is keyed with
SECRET_KEY; codes made before a key rotation still work while the old key is in
SECRET_KEY_FALLBACKS.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction

from routinie.accounts.models import RecoveryCode, User

HOW_MANY = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
LENGTH = 10


def normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash(code: str, key: str) -> str:
    message = b"routinie.recovery-code|" + normalize(code).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _hashes(code: str) -> list[str]:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_hash(code, key) for key in keys]


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def replace_codes(user: User) -> list[str]:
    """Ten new codes for `user`; every older code stops working. The codes are returned this
    once: only their hashes are stored."""
    codes = [_new_code() for _ in range(HOW_MANY)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash(code, settings.SECRET_KEY)) for code in codes
        )
    return codes


def use_code(user: User, code: str) -> bool:
    """True when `code` is one of `user`'s unused recovery codes; it is used up at once (deleted
    in the same statement that finds it, so two requests cannot both use it)."""
    if not code or len(code) > 40:
        return False
    deleted, _ = RecoveryCode.objects.filter(user=user, code_hash__in=_hashes(code)).delete()
    return deleted > 0


def codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user).count()
