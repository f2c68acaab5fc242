"""A request that answers 5xx leaves nothing behind (issue 15): what it wrote in several
tables is rolled back whole and the side effect it queued for the commit (as services queue e-mails) never runs, for a page
and for an API operation, over a live server. The same addresses without the failure keep their
writes, so the test proves the rollback, not a view that wrote nothing."""

from collections.abc import Callable

import pytest
from django.test import override_settings

from routinie.accounts.models import User
from tests.e2e.site_client import Site
from tests.failing_urls import AFTER_COMMIT

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESSES = ["/test-only/sign-up-then-fail/", "/test-only/api/sign-up-then-fail"]


@override_settings(ROOT_URLCONF="tests.failing_urls")
@pytest.mark.parametrize("address", ADDRESSES)
def test_a_request_that_fails_after_its_writes_leaves_nothing_behind(
    site: Callable[..., Site], address: str
) -> None:
    web = site()
    AFTER_COMMIT.clear()
    failed = web.http.post(address, params={"email": "failed@example.test"})
    assert failed.status_code == 500
    assert not User.objects.filter(email="failed@example.test").exists()
    assert AFTER_COMMIT == []

    kept = web.http.post(address, params={"email": "kept@example.test", "fail": "0"})
    assert kept.status_code == 200, kept.text
    assert User.objects.filter(email="kept@example.test").exists()
    assert AFTER_COMMIT == ["kept@example.test"]
