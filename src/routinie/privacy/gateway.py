"""The outbound gateway (P02, P19): the only code that opens connections to other machines,
besides the SMTP backend. It allows the configured payment processor's host and refuses every
other host with a clear error, before any connection is made."""

import http.client
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings


class OutboundRefused(Exception):
    """A connection to a host that is not the payment processor."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def allowed_hosts() -> set[str]:
    host = urlsplit(settings.PAYMENT_PROCESSOR_URL or "").hostname or ""
    return {host.lower()} if host else set()


def check_host(host: str) -> None:
    """Refuse any host but the payment processor's (none is allowed when it is unset)."""
    if host.strip().lower() not in allowed_hosts():
        raise OutboundRefused(
            f"Outbound connection to {host!r} refused: only the payment processor "
            "(PAYMENT_PROCESSOR_URL) may be reached."
        )


def post_json(
    host: str, path: str, body: bytes, headers: dict[str, str], timeout: float = 10
) -> Response:
    """POST to the payment processor over HTTPS."""
    check_host(host)
    connection = http.client.HTTPSConnection(host, timeout=timeout)
    try:
        connection.request(
            "POST", path, body=body, headers={"Content-Type": "application/json", **headers}
        )
        reply = connection.getresponse()
        return Response(reply.status, reply.read())
    finally:
        connection.close()


def send(
    method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float = 20
) -> Response:
    """Any request to the payment processor (the Stripe SDK's transport): HTTPS, or plain HTTP
    to the local sandbox on loopback only."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    check_host(host)
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK):
        raise OutboundRefused(f"Outbound connection to {host!r} refused: HTTPS only.")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(host, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers)
        reply = connection.getresponse()
        return Response(reply.status, reply.read(), dict(reply.getheaders()))
    finally:
        connection.close()
