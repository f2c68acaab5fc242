"""Services started beside the web server and stopped with it (`routinie serve`): an app
registers its starter from its own `apps.py` (core never imports an app). A starter receives
the site's address and returns how to stop what it started, or None when it started nothing."""

from collections.abc import Callable

Stop = Callable[[], None]
_STARTERS: dict[str, Callable[[str], Stop | None]] = {}


def register_companion(name: str, start: Callable[[str], Stop | None]) -> None:
    _STARTERS[name] = start


def start_companions(site_url: str) -> list[tuple[str, Stop]]:
    """Start every registered companion; (name, stop) of those that started something."""
    started = []
    for name, start in sorted(_STARTERS.items()):
        stop = start(site_url)
        if stop is not None:
            started.append((name, stop))
    return started
