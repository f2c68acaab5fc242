"""The suite-wide socket guard (tests/conftest.py) is real: outbound connections fail (P02)."""

import socket

import pytest
from tests.plugin import OutboundConnectionBlocked


@pytest.mark.promise("P02")
def test_a_connection_to_a_non_loopback_address_is_blocked():
    with socket.socket() as sock, pytest.raises(OutboundConnectionBlocked):
        sock.connect(("203.0.113.10", 443))


@pytest.mark.promise("P02")
def test_resolving_an_outside_name_is_blocked():
    with pytest.raises(OutboundConnectionBlocked):
        socket.create_connection(("example.com", 80), timeout=1)


def test_loopback_stays_reachable():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
