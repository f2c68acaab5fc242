"""Throttling that stores no IP address and no e-mail address (P08, P12).

Counters live in the cache under a keyed hash (HMAC with the server secret) of the scope, the
current time window and the identity. The window is part of the hashed input, so a key is
meaningless after its window and expires with it; nothing readable is ever kept. An attempt takes
a slot (`Limit.take`): the counter is incremented first and compared after, in one atomic step,
so concurrent attempts on several processes never get more than the limit.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from routinie.core import counters
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

    def take(self, identity: str) -> "Slot":
        """Count one attempt of `identity` and answer its slot; RateLimited when it was over the
        limit. Counted first, compared after (one atomic step in the cache, see
        `core.counters`), so concurrent attempts never get more than `attempts` slots."""
        now = time.time()
        window = self._window(now)
        key = self._key(identity, window)
        if counters.increment(key, self.window_seconds) > self.attempts:
            retry_after = int((window + 1) * self.window_seconds - now) + 1
            raise RateLimited("Too many attempts. Please wait before trying again.", retry_after)
        return Slot(key, self.window_seconds)

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity, self._window(time.time())))


@dataclass(frozen=True)
class Slot:
    """An attempt that was counted; given back when the attempt should not count after all
    (a successful sign-in, a sign-up the service refused)."""

    key: str
    window_seconds: int

    def give_back(self) -> None:
        counters.decrement(self.key, self.window_seconds)
