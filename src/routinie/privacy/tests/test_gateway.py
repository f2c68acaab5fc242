"""The outbound gateway refuses every host but the payment processor's (P02)."""

import re
from pathlib import Path

import pytest

from routinie.privacy.gateway import OutboundRefused, check_host, post_json

SRC = Path(__file__).resolve().parents[2]
NETWORK_IMPORT = re.compile(
    r"^\s*(?:import|from)\s+(socket|http\.client|urllib\.request|requests|httpx|aiohttp|urllib3)\b",
    re.M,
)
# The outbound paths the policy allows: the payment processor, and SMTP (`core/mail_once.py`
# only tunes the SMTP connection Django's backend opened).
# `billing/sandbox_server.py` is the local payment sandbox: a server on loopback, not a client.
ALLOWED = {"privacy/gateway.py", "core/mail_once.py", "billing/sandbox_server.py"}


@pytest.mark.promise("P02")
def test_a_host_other_than_the_payment_processor_is_refused_before_connecting(settings):
    settings.PAYMENT_PROCESSOR_URL = "https://pay.example.test"
    with pytest.raises(OutboundRefused, match="only the payment processor"):
        post_json("tracker.example.com", "/collect", b"{}", {})
    check_host("PAY.example.test")  # the processor itself is allowed


@pytest.mark.promise("P02")
def test_with_no_processor_configured_nothing_may_be_reached(settings):
    settings.PAYMENT_PROCESSOR_URL = ""
    with pytest.raises(OutboundRefused):
        check_host("pay.example.test")


@pytest.mark.promise("P02")
def test_no_other_module_imports_a_network_client():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts
        and str(path.relative_to(SRC)) not in ALLOWED
        and NETWORK_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
