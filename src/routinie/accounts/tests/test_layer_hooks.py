"""Accounts asks the apps above it through hooks they fill from their own apps.py: the policy
terms sign-up checks and records, banner sources for every page, and `account_created`."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from routinie.accounts import context, policy_terms
from routinie.accounts.context import account_banners, register_banner_source
from routinie.accounts.models import User
from routinie.accounts.services import sign_up
from routinie.accounts.signals import account_created
from routinie.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


class FakeTerms:
    """Terms that record what accounts asked of them."""

    def __init__(self, in_force: int | None = 7, refuse: bool = False) -> None:
        self.in_force = in_force
        self.refuse = refuse
        self.recorded: list[tuple[str, int]] = []

    def version_in_force(self) -> int | None:
        return self.in_force

    def record_acceptance(self, *, user: User, version: int) -> None:
        if self.refuse:
            raise InvalidInput.on("accept_policy_version", "Refused.", "policy_version_mismatch")
        self.recorded.append((user.email, version))

    def version_accepted_by(self, user: User) -> int | None:
        return 42


@pytest.fixture
def terms(monkeypatch: pytest.MonkeyPatch) -> FakeTerms:
    fake = FakeTerms()
    monkeypatch.setattr(policy_terms, "_registered", fake)
    return fake


def _sign_up(email: str = "ana@example.test", version: int = 7) -> User:
    return sign_up(
        name="Ana Pop", email=email, password="tidy-Lantern-42", accept_policy_version=version
    )


def test_sign_up_records_the_accepted_version_through_the_registered_terms(terms):
    _sign_up(version=7)
    assert terms.recorded == [("ana@example.test", 7)]


def test_sign_up_the_terms_refuse_creates_no_account(terms):
    terms.refuse = True
    with pytest.raises(InvalidInput) as refused:
        _sign_up()
    assert refused.value.errors[0].code == "policy_version_mismatch"
    assert not User.objects.filter(email="ana@example.test").exists()


def test_without_registered_terms_sign_up_fails_loudly_and_creates_nothing(monkeypatch):
    monkeypatch.setattr(policy_terms, "_registered", None)
    with pytest.raises(ImproperlyConfigured, match=r"routinie\.policy"):
        policy_terms.policy_terms()
    with pytest.raises(ImproperlyConfigured):
        _sign_up()
    assert not User.objects.filter(email="ana@example.test").exists()


def test_the_sign_up_page_offers_the_version_the_terms_name_in_force(terms):
    page = Client().get("/signup/").content.decode()
    assert 'name="accept_policy_version" value="7"' in page
    assert "privacy policy</a> (version 7)" in page


def test_me_shows_the_version_the_terms_say_was_accepted(terms):
    client = Client()
    client.force_login(_sign_up())
    assert client.get("/api/v1/me").json()["policy_version_accepted"] == 42


def test_registered_banner_sources_follow_accounts_own_banners(terms, monkeypatch):
    monkeypatch.setattr(context, "_BANNER_SOURCES", {})
    user = _sign_up()
    seen = []

    def news(request, person):
        seen.append(person)
        return {"kind": "info", "text": "News", "link": "/news/", "link_text": "Read"}

    register_banner_source("news", news)
    register_banner_source("nothing today", lambda request, person: None)
    request = RequestFactory().get("/today/")
    request.user = user
    banners = account_banners(request)["account_banners"]
    assert seen == [user]
    assert [b["text"] for b in banners][-1] == "News"
    assert banners[0]["link"] == "/account/#confirm", "accounts' own banner comes first"
    assert len(banners) == 2


def test_no_banner_source_is_asked_for_someone_signed_out(monkeypatch):
    monkeypatch.setattr(context, "_BANNER_SOURCES", {})
    register_banner_source("must not be asked", lambda request, person: pytest.fail("asked"))
    request = RequestFactory().get("/")
    request.user = None
    assert account_banners(request) == {"account_banners": []}


def test_account_created_is_sent_once_the_sign_up_commits(
    terms, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, *, user, **kwargs):
        heard.append((sender, user))

    account_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            user = _sign_up()
            assert heard == [], "not before the commit"
        assert callbacks
        assert heard == [(User, user)]
    finally:
        account_created.disconnect(receiver)
