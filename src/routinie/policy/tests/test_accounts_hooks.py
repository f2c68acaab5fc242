"""The policy app fills accounts' hooks from its apps.py: sign-up accepts only the version in
force, the demo account accepts it too, the news banner shows on whole pages only, and a new
account hears of an announced version."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from routinie.accounts import context
from routinie.accounts.models import User
from routinie.accounts.policy_terms import policy_terms
from routinie.accounts.signals import account_created
from routinie.policy.accounts_hooks import PolicyTermsInForce, new_version_banner
from routinie.policy.models import PolicyAcceptance, PolicyBannerShown
from routinie.policy.publishing import publish_version, save_draft

pytestmark = pytest.mark.django_db


def test_the_policy_app_registers_its_terms_banner_and_new_account_notice():
    assert isinstance(policy_terms(), PolicyTermsInForce)
    assert context._BANNER_SOURCES["new policy version"] is new_version_banner
    assert "policy.tell_new_account" in [key[0] for key, *_ in account_created.receivers]


def _sign_up(client: Client, accept_policy_version: int) -> HttpResponse:
    person = {"name": "Ana Pop", "email": "ana@example.test", "password": "tidy-Lantern-42"}
    body = {**person, "accept_policy_version": accept_policy_version}
    return client.post("/api/v1/auth/signup", body, content_type="application/json")


def test_sign_up_with_a_version_not_in_force_is_refused_and_creates_nothing(client):
    refused = _sign_up(client, accept_policy_version=2)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "accept_policy_version",
            "message": "Please accept the privacy policy in force (version 1).",
            "code": "policy_version_mismatch",
        }
    ]
    assert not User.objects.filter(email="ana@example.test").exists()


def test_sign_up_records_the_version_in_force_and_me_shows_it(client):
    created = _sign_up(client, accept_policy_version=1)
    assert created.status_code == 201
    user = User.objects.get(email="ana@example.test")
    assert [a.version.version for a in PolicyAcceptance.objects.filter(user=user)] == [1]
    client.force_login(user)
    assert client.get("/api/v1/me").json()["policy_version_accepted"] == 1


def test_the_demo_account_accepts_the_version_in_force():
    call_command("demo_account", stdout=StringIO())
    demo = User.objects.get(email="demo@routinie.localhost")
    assert [a.version.version for a in PolicyAcceptance.objects.filter(user=demo)] == [1]


def test_the_new_version_banner_is_neither_shown_nor_spent_on_a_fragment(make_user):
    user, _password = make_user()
    draft = save_draft(
        source="# Routinie privacy policy\n\nRun by {{ operator }}.\n\nNow with colour.\n",
        summary="Colour.",
        effective_at=timezone.now() + timedelta(days=1),
        reduces_rights=False,
    )
    publish_version(version_id=draft.pk)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client = Client()
        client.force_login(user)
        fragment = client.get("/today/", HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200
        assert "Our privacy policy changed" not in fragment.content.decode()
        assert not PolicyBannerShown.objects.filter(user=user).exists()
        assert "Our privacy policy changed" in client.get("/today/").content.decode()
