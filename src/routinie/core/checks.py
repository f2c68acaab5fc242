"""The deploy checks of the house (`routinie check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core import checks

# Caches whose entries live in one process: every web process counts its own attempts.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.security, checks.Tags.caches, deploy=True)
def throttles_count_across_processes(**_: Any) -> list[checks.CheckMessage]:
    """W001: the sign-in and other throttles count in the cache; a per-process cache lets each
    web process count alone (with N processes, N times the limit gets through)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is kept per process, so throttles "
            "(sign-in, sign-up, password reset) would count per process: each web process "
            "lets the whole limit through.",
            hint="Set REDIS_URL, or leave CACHES at the shared file cache under DATA_DIR.",
            id="routinie.core.W001",
        )
    ]
