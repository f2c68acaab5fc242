"""Pseudonyms for the key-figure table (P05): a keyed hash of the user id, never the id.

The key is `STATS_PSEUDONYM_KEY`, or else one derived from `SECRET_KEY` with a salt of its own
(so it is not the key of anything else). Whoever holds the key can compute a given user's
pseudonym, so the table is pseudonymous, not anonymous: it is personal data kept only for
statistics, deleted with the account, and nothing leaves it except through the anonymity layer.
Changing the key (or `SECRET_KEY` when no key is set) re-keys the table: the next computation
writes every row under the new pseudonyms and deletes the old ones (`key_id` tells them apart).
"""

import hashlib
import hmac
from uuid import UUID

from django.conf import settings

_DERIVATION_SALT = b"routinie.stats.pseudonym-key.v1"
PSEUDONYM_LENGTH = 32  # hex digits: the first 128 bits of HMAC-SHA256


def pseudonym_key() -> bytes:
    configured = getattr(settings, "STATS_PSEUDONYM_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(settings.SECRET_KEY.encode(), _DERIVATION_SALT, hashlib.sha256).digest()


def key_id(key: bytes | None = None) -> str:
    """A short public fingerprint of the key, stored beside each pseudonym it made."""
    return hmac.new(key or pseudonym_key(), b"key-id", hashlib.sha256).hexdigest()[:8]


def pseudonym_of(user_id: UUID | str, key: bytes | None = None) -> str:
    """The pseudonym of one user id (a UUID or its string)."""
    digest = hmac.new(key or pseudonym_key(), str(user_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH]
