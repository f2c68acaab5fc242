"""The counters count each caller once, however many threads ask at once, on every cache the
platform runs with (the suite's memory cache, the file cache `routinie serve` shares between its
processes, and Redis when REDIS_URL is set)."""

import threading
from pathlib import Path

from django.test import override_settings

from routinie.core import counters
from routinie.core.errors import RateLimited
from routinie.core.throttling import Limit


def _take_concurrently(limit: Limit, callers: int) -> int:
    """`callers` threads take a slot of one identity at once; how many got one."""
    start, granted, lock = threading.Barrier(callers), [], threading.Lock()

    def attempt() -> None:
        start.wait()
        try:
            limit.take("ana@example.test")
        except RateLimited:
            return
        with lock:
            granted.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(granted)


def test_concurrent_attempts_get_exactly_the_limit_on_this_cache():
    assert _take_concurrently(Limit("test-race", 10, 60), callers=40) == 10


def test_concurrent_attempts_get_exactly_the_limit_on_the_file_cache(tmp_path: Path):
    file_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with override_settings(CACHES=file_cache):  # Django opens the caches anew
        assert _take_concurrently(Limit("test-race", 10, 60), callers=40) == 10
        assert (tmp_path / "cache" / counters.LOCK_FILE).exists()


def test_a_count_given_back_is_counted_again():
    assert counters.increment("test-counter", 60) == 1
    assert counters.increment("test-counter", 60) == 2
    assert counters.decrement("test-counter", 60) == 1
    assert counters.decrement("test-counter", 60) == 0
    assert counters.increment("test-counter", 60) == 1
