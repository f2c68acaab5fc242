"""The transparency report over a live server counts requests and releases, naming no one (P09)."""

import pytest

from routinie.privacy.disclosure import DisclosureRefused, disclose
from routinie.privacy.models import Consent, LegalRequest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.promise("P09")
def test_releases_are_counted_publicly_and_a_release_without_a_record_is_refused(site, make_user):
    user, _ = make_user(name="Ana Pop")
    with pytest.raises(DisclosureRefused):
        disclose(user=user, recipient="Data broker", categories=["account"], released_by=None)
    request = LegalRequest.objects.create(
        user=user,
        authority="Court of Oradea",
        legal_basis="CPP art. 170",
        reference="77/2026",
        asked_for="account data",
        scope=["account"],
    )
    disclose(
        user=user,
        recipient="Court of Oradea",
        categories=["account"],
        released_by=None,
        legal_request=request,
    )
    consent = Consent.objects.create(
        user=user, recipient="Accountant", purpose="tax", scope=["account"], evidence="mail"
    )
    disclose(
        user=user, recipient="Accountant", categories=["account"], released_by=None, consent=consent
    )
    web = site()
    api = web.get("/api/v1/public/transparency")
    page = web.get("/transparency/")
    assert api.status_code == 200
    assert "set-cookie" not in api.headers
    assert "set-cookie" not in page.headers
    [period] = api.json()["periods"]
    assert (
        period["legal_requests"],
        period["legal_requests_granted"],
        period["consent_disclosures"],
    ) == (1, 1, 1)
    for text in (api.text, page.text):
        for secret in ("Ana Pop", user.email, "77/2026", "Accountant", "Data broker"):
            assert secret not in text
