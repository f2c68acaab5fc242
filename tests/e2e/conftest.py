from collections.abc import Callable, Iterator

import pytest

from tests.e2e.site_client import Site


@pytest.fixture
def site(live_server: object) -> Iterator[Callable[..., Site]]:
    """Open independent clients (each its own cookie jar) against the live server."""
    opened: list[Site] = []

    def open_site(**kwargs: object) -> Site:
        client = Site(live_server.url, **kwargs)  # type: ignore[attr-defined]
        opened.append(client)
        return client

    yield open_site
    for client in opened:
        client.close()
