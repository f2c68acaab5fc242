"""The outbound gateway (P02, P19): the only code that opens connections to other machines,
besides the SMTP backend. It allows the configured payment processor's host and refuses every
other host with a clear error, before any connection is made."""

import http.client
from dataclasses import dataclass

from django.conf import settings


class OutboundRefused(Exception):
    """A connection to a host that is not the payment processor."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def allowed_hosts() -> set[str]:
    host = (settings.PAYMENT_PROCESSOR_HOST or "").strip().lower()
    return {host} if host else set()


def check_host(host: str) -> None:
    """Refuse any host but the payment processor's (none is allowed when it is unset)."""
    if host.strip().lower() not in allowed_hosts():
        raise OutboundRefused(
            f"Outbound connection to {host!r} refused: only the payment processor "
            "(PAYMENT_PROCESSOR_HOST) may be reached."
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
