"""A bare WSGI app, served by the same gunicorn configuration as Routinie: its throughput is
the ceiling of this machine and load generator, measured in the same run for a ratio."""

from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]
