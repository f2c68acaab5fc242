"""The banner about a new policy version: reading it writes nothing; showing it is a service
that records it shown once per version (P15)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.policy.models import PolicyBannerShown
from routinie.policy.publishing import publish_version, save_draft
from routinie.policy.selectors import policy_banner
from routinie.policy.services import show_policy_banner


@pytest.mark.promise("P15")
def test_reading_the_banner_writes_nothing_and_showing_it_records_it_once(make_user):
    user, _ = make_user()
    draft = save_draft(
        source="# Routinie privacy policy\n\nRun by {{ operator }}.\n",
        summary="Shorter sentences.",
        effective_at=timezone.now() + timedelta(days=1),
        reduces_rights=False,
    )
    version = publish_version(version_id=draft.pk)
    assert policy_banner(user) is None  # not in force yet
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        read = policy_banner(user)
        assert read is not None
        assert policy_banner(user) == read  # a read, however often: nothing recorded
        assert read[0].pk == version.pk
        assert not PolicyBannerShown.objects.exists()

        assert show_policy_banner(user) == read[1]
        assert PolicyBannerShown.objects.filter(user=user, version=version).count() == 1
        assert policy_banner(user) is None
        assert show_policy_banner(user) is None
    assert PolicyBannerShown.objects.count() == 1
