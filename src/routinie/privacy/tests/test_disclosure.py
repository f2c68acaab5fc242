"""The disclosure service refuses without a live record and logs every release (P09)."""

import pytest
from django.test import Client

from routinie.privacy.disclosure import (
    DisclosureRefused,
    disclose,
    revoke_consent,
    transparency_report,
)
from routinie.privacy.models import Consent, Disclosure, LegalRequest

pytestmark = pytest.mark.django_db


@pytest.mark.promise("P09")
def test_without_a_consent_or_legal_request_nothing_is_released(make_user):
    user, _ = make_user()
    with pytest.raises(DisclosureRefused):
        disclose(user=user, recipient="Insurer", categories=["account"], released_by=None)
    assert not Disclosure.objects.exists()


@pytest.mark.promise("P09")
def test_a_consent_allows_its_scope_and_recipient_only_until_revoked(make_user):
    user, _ = make_user(name="Ana Pop")
    consent = Consent.objects.create(
        user=user,
        recipient="Accountant",
        purpose="tax",
        scope=["account"],
        evidence="E-mail of 1 Nov",
    )
    data = disclose(
        user=user, recipient="Accountant", categories=["account"], released_by=None, consent=consent
    )
    assert data["accounts.User"][0]["name"] == "Ana Pop"
    assert "password" not in data["accounts.User"][0]
    with pytest.raises(DisclosureRefused):
        disclose(
            user=user,
            recipient="Someone else",
            categories=["account"],
            released_by=None,
            consent=consent,
        )
    with pytest.raises(DisclosureRefused):
        disclose(
            user=user,
            recipient="Accountant",
            categories=["content you track"],
            released_by=None,
            consent=consent,
        )
    revoke_consent(consent=consent)
    with pytest.raises(DisclosureRefused):
        disclose(
            user=user,
            recipient="Accountant",
            categories=["account"],
            released_by=None,
            consent=consent,
        )
    assert Disclosure.objects.count() == 1


@pytest.mark.promise("P09")
def test_another_users_consent_does_not_cover_this_user(make_user):
    ana, _ = make_user()
    bob, _ = make_user()
    consent = Consent.objects.create(
        user=bob, recipient="X", purpose="p", scope=["account"], evidence="e"
    )
    with pytest.raises(DisclosureRefused):
        disclose(user=ana, recipient="X", categories=["account"], released_by=None, consent=consent)


@pytest.mark.promise("P09")
def test_a_legal_request_is_released_logged_and_counted_without_names(make_user):
    user, _ = make_user(name="Ana Pop")
    request = LegalRequest.objects.create(
        user=user,
        authority="Court of Oradea",
        legal_basis="CPP art. 170",
        reference="123/2026",
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
    request.refresh_from_db()
    assert request.granted
    [period] = transparency_report()
    assert (period.legal_requests, period.legal_requests_granted) == (1, 1)
    page = Client().get("/transparency/")
    api = Client().get("/api/v1/public/transparency")
    assert api.json()["periods"][0]["legal_requests"] == 1
    for text in [page.content.decode(), api.content.decode()]:
        assert "Ana Pop" not in text
        assert user.email not in text
        assert "123/2026" not in text
