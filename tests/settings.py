"""The settings the test suite runs with: Routinie's own, except that without Redis the cache
is this process's memory (each test starts with it empty, and `tests.plugin.cache_keys` can
list what is kept there). The tests of `routinie serve` run it with `routinie.settings` itself,
where the web processes share a file cache."""

from routinie.settings import *  # noqa: F403 (the settings under test)
from routinie.settings import REDIS_URL

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
