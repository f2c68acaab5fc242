import pytest
import time_machine
from django.test import RequestFactory
from tests.plugin import cache_keys

from routinie.core.errors import RateLimited
from routinie.core.throttling import Limit, client_address


def test_a_limit_refuses_past_its_attempts_and_frees_up_in_the_next_window():
    limit = Limit("test", attempts=3, window_seconds=60)
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        for _ in range(3):
            limit.take("10.0.0.1")
        with pytest.raises(RateLimited) as refused:
            limit.take("10.0.0.1")
        assert 0 < refused.value.retry_after <= 61
        limit.take("10.0.0.2")  # another client is not affected
        clock.shift(61)
        limit.take("10.0.0.1")


def test_a_slot_given_back_can_be_taken_again():
    limit = Limit("test", attempts=2, window_seconds=60)
    limit.take("10.0.0.1")
    limit.take("10.0.0.1").give_back()
    limit.take("10.0.0.1")
    with pytest.raises(RateLimited):
        limit.take("10.0.0.1")


def test_counters_are_kept_under_keyed_hashes_only():
    limit = Limit("test", attempts=3, window_seconds=60)
    limit.take("203.0.113.7")
    limit.take("ana@example.test")
    keys = cache_keys()
    assert len(keys) == 2
    assert all("203.0.113" not in k and "example" not in k for k in keys)


def test_client_address_ignores_forwarded_header_unless_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert client_address(request) == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_address(request) == "5.6.7.8"
