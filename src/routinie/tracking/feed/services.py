"""A person's secret calendar address: made (or made again, which revokes the old one), revoked,
and found from the token in its path. Only a keyed hash (HMAC-SHA256 with the server's secret)
of the token is stored, so the database alone cannot rebuild an address."""

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction

from routinie.accounts.models import User
from routinie.tracking.models import CalendarFeed

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64


def token_hash(token: str) -> str:
    key = f"calendar-feed|{settings.SECRET_KEY}".encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def feed_url(token: str) -> str:
    return f"{settings.SITE_URL}/calendar/{token}.ics"


def make_feed(*, user: User, include_entries: bool = False) -> dict[str, Any]:
    """A new address (the old one, if any, stops working at once); its URL, shown only now."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        feed = CalendarFeed.objects.create(
            user=user, token_hash=token_hash(token), include_entries=include_entries
        )
    return {
        "url": feed_url(token),
        "include_entries": feed.include_entries,
        "created_at": feed.created_at,
    }


def revoke_feed(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed of this token with its (active) owner, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token))
    feed = found.first()
    return feed if feed is not None and feed.user.is_active else None
