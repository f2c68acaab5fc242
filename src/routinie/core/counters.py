"""Counters in the cache that count every caller exactly once, however many processes ask at once.

`increment` adds one and answers the new count in one step (never a read, then a write another
process may overtake), so a limit compared against its answer lets through exactly as many as it
promises. How each cache does it:

- Redis (`REDIS_URL`): INCR and EXPIRE in one MULTI/EXEC transaction;
- the file cache (`DATA_DIR/cache`, shared by the web processes of one machine): the read and
  the write under an exclusive `fcntl` lock on a file beside the entries;
- any other cache (memory): the read and the write under this process's lock (such a cache is
  per process anyway, which the `check --deploy` warning `routinie.core.W001` says).

A counter lives `ttl` seconds from its first increment; its key holds nothing readable (the
throttle hashes it).
"""

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

LOCK_FILE = "counters.lock"  # not a `*.djcache` entry, so the cache's culling never removes it
_process_lock = threading.Lock()


def increment(key: str, ttl: int) -> int:
    """Add one to the counter `key` (created at 0 to live `ttl` seconds) and answer its count."""
    return _add(caches["default"], key, 1, ttl)


def decrement(key: str, ttl: int) -> int:
    """Take one off the counter `key` (a slot given back) and answer its count."""
    return _add(caches["default"], key, -1, ttl)


def _add(backend: BaseCache, key: str, delta: int, ttl: int) -> int:
    if isinstance(backend, RedisCache):
        return _add_in_redis(backend, key, delta, ttl)
    with _exclusive(backend):
        count = int(backend.get(key, 0) or 0) + delta
        if count > 0:
            backend.set(key, count, timeout=ttl)
        else:
            backend.delete(key)
        return count


def _add_in_redis(backend: RedisCache, key: str, delta: int, ttl: int) -> int:
    full_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(full_key, write=True)
    with client.pipeline(transaction=True) as pipe:
        pipe.incrby(full_key, delta)
        pipe.expire(full_key, ttl, nx=True)  # the first increment starts the counter's life
        count, _ = pipe.execute()
    return int(count)


@contextmanager
def _exclusive(backend: BaseCache) -> Iterator[None]:
    """Hold the lock every process sharing `backend` takes for a read-modify-write."""
    if not isinstance(backend, FileBasedCache):
        with _process_lock:
            yield
        return
    directory = Path(backend._dir)  # type: ignore[attr-defined]
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a+b") as lock:  # one open file per caller: threads too
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
