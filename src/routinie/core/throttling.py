"""Throttling that stores no IP address and no e-mail address (P08, P12).

Counters live in the cache under a keyed hash (HMAC with the server secret) of the scope, the
current time window and the identity. The window is part of the hashed input, so a key is
meaningless after its window and expires with it; nothing readable is ever kept.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from routinie.core.errors import RateLimited


def client_address(request: HttpRequest) -> str:
    """The client's address, used only as input to a keyed hash, never stored or logged."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class Limit:
    scope: str
    attempts: int
    window_seconds: int

    def _window(self, now: float) -> int:
        return int(now // self.window_seconds)

    def _key(self, identity: str, window: int) -> str:
        message = f"{self.scope}|{window}|{identity}".encode()
        digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
        return f"throttle:{digest[:40]}"

    def check(self, identity: str) -> None:
        """Raise RateLimited when `identity` used up its attempts in this window."""
        now = time.time()
        window = self._window(now)
        count = cache.get(self._key(identity, window), 0)
        if count >= self.attempts:
            retry_after = int((window + 1) * self.window_seconds - now) + 1
            raise RateLimited("Too many attempts. Please wait before trying again.", retry_after)

    def hit(self, identity: str) -> None:
        key = self._key(identity, self._window(time.time()))
        cache.add(key, 0, timeout=self.window_seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window_seconds)

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity, self._window(time.time())))
