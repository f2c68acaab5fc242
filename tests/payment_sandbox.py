"""The payment processor for the tests (P19): when `PAYMENT_PROCESSOR_URL` is unset, the local
sandbox (localstripe, on loopback) is started once for the run by the `payment_sandbox`
fixture and stopped at its end; the platform's settings point at it meanwhile."""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings

from routinie.billing.sandbox import start_sandbox


@pytest.fixture(scope="session")
def payment_sandbox() -> Iterator[str]:
    if settings.PAYMENT_PROCESSOR_URL:
        yield settings.PAYMENT_PROCESSOR_URL
        return
    sandbox = start_sandbox()
    os.environ.pop("PAYMENT_PROCESSOR_URL")  # for this process only: commands start their own
    try:
        yield sandbox.url
    finally:
        sandbox.stop()
        settings.PAYMENT_PROCESSOR_URL = ""
