"""The settings the test suite runs with: Routinie's own, except

- without Redis, the cache is this process's memory (each test starts with it empty, and
  `tests.plugin.cache_keys` can list what is kept there); the tests of `routinie serve` run it
  with `routinie.settings` itself, where the web processes share a file cache;
- passwords are hashed with a fast hasher: Argon2id is slow on purpose, and hundreds of test
  people paid for it. The tests that prove how passwords are stored switch Argon2id back on
  (`production_password_hashing` in tests/plugin.py) and a test holds the production settings
  to Argon2id.
"""

import tempfile
from pathlib import Path

from routinie.settings import *  # noqa: F403 (the settings under test)
from routinie.settings import PASSWORD_HASHERS as PRODUCTION_PASSWORD_HASHERS
from routinie.settings import REDIS_URL

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_PASSWORD_HASHERS]

# The suite's erasures are journaled in a directory of this run, not in the developer's var/;
# a test that reads the journal gives itself one (`settings.ERASURE_JOURNAL = tmp_path / …`).
ERASURE_JOURNAL = Path(tempfile.mkdtemp(prefix="routinie-tests-")) / "erasure-journal"
