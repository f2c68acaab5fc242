"""`/privacy/` shows the version in force, the history, upcoming versions and the differences
between any two versions; the API gives the same; signed-in users see a new version once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from routinie.policy.models import PolicyBannerShown
from routinie.policy.publishing import announce_version, publish_version, save_draft

SOURCE_V2 = (
    "# Routinie privacy policy\n\nRun by {{ operator }}.\n\nWe now also keep your favourite "
    "colour.\n"
)


def _publish_v2(days: int = 2):
    draft = save_draft(
        source=SOURCE_V2,
        summary="We keep your favourite colour.",
        effective_at=timezone.now() + timedelta(days=days),
        reduces_rights=False,
    )
    return publish_version(version_id=draft.pk)


@pytest.mark.promise("P15")
def test_the_privacy_page_shows_the_version_in_force_history_and_what_is_coming(db, client):
    _publish_v2()
    page = client.get("/privacy/").content.decode()
    assert "Version 1, in force since" in page
    assert 'data-testid="upcoming-version"' in page
    assert "Version 2 takes effect on" in page
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        page = client.get("/privacy/").content.decode()
    assert "Version 2, in force since" in page
    assert "We now also keep your favourite" in page
    assert "/privacy/changes/?from=1&amp;to=2" in page


def test_the_changes_page_marks_what_was_removed_and_added(db, client):
    _publish_v2()
    page = client.get("/privacy/changes/", {"from": 1, "to": 2}).content.decode()
    assert '<li class="diff-added"><ins>We now also keep your favourite colour.</ins></li>' in page
    assert '<li class="diff-removed"><del>' in page


@pytest.mark.parametrize(
    "query",
    [{"from": "1"}, {"from": "x", "to": "1"}, {"from": "1", "to": "99"}, {"from": "-1", "to": "1"}],
)
def test_a_bad_comparison_is_a_clear_400(db, client, query):
    response = client.get("/privacy/changes/", query)
    assert response.status_code == 400
    assert "Choose two versions" in response.content.decode()


def test_the_address_typed_alone_shows_the_latest_change(db, client):
    assert client.get("/privacy/changes/").headers["location"] == "/privacy/changes/?from=1&to=1"
    _publish_v2()
    response = client.get("/privacy/changes/", follow=True)
    assert response.redirect_chain == [("/privacy/changes/?from=1&to=2", 302)]
    assert response.status_code == 200
    assert "We now also keep your favourite colour." in response.content.decode()


def test_a_draft_is_not_readable_but_an_announced_one_is(db, client):
    draft = save_draft(
        source=SOURCE_V2,
        summary="Colour.",
        effective_at=timezone.now() + timedelta(days=40),
        reduces_rights=True,
    )
    assert client.get(f"/privacy/versions/{draft.version}/").status_code == 404
    assert client.get(f"/api/v1/public/privacy-policy/versions/{draft.version}").status_code == 404
    announce_version(version_id=draft.pk)
    page = client.get(f"/privacy/versions/{draft.version}/").content.decode()
    assert "proposed to take effect on" in page


@pytest.mark.promise("P15")
def test_the_api_gives_the_version_in_force_its_history_and_the_differences(db, client):
    _publish_v2(days=1)
    body = client.get("/api/v1/public/privacy-policy").json()
    assert body["version"] == 1
    assert [v["version"] for v in body["upcoming"]] == [2]
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        body = client.get("/api/v1/public/privacy-policy").json()
    assert body["version"] == 2
    assert [v["version"] for v in body["history"]] == [2, 1]
    changes = client.get("/api/v1/public/privacy-policy/changes?from=1&to=2").json()
    assert {"kind": "added", "text": "We now also keep your favourite colour."} in changes[
        "changes"
    ]
    refused = client.get("/api/v1/public/privacy-policy/changes?from=1&to=7")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "to"


@pytest.mark.promise("P15")
def test_a_signed_in_user_sees_the_new_version_banner_once(make_user):
    user, password = make_user()
    _publish_v2(days=1)
    client = Client()
    client.post("/login/", {"email": user.email, "password": password})
    assert "Our privacy policy changed" not in client.get("/today/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client.post("/login/", {"email": user.email, "password": password})
        first = client.get("/today/").content.decode()
        second = client.get("/today/").content.decode()
    assert "Our privacy policy changed on" in first
    assert "/privacy/changes/?from=1&amp;to=2" in first
    assert "Our privacy policy changed" not in second
    assert PolicyBannerShown.objects.filter(user=user).count() == 1


def test_someone_who_signed_up_under_the_new_version_sees_no_banner(db, make_user):
    _publish_v2(days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        from routinie.accounts.services import sign_up

        user = sign_up(
            name="New Person",
            email="new@example.test",
            password="tidy-Lantern-42",
            accept_policy_version=2,
        )
        client = Client()
        client.post("/login/", {"email": user.email, "password": "tidy-Lantern-42"})
        assert "Our privacy policy changed" not in client.get("/today/").content.decode()
