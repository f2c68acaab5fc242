"""Publishing policy versions (P15): a version that reduces rights needs an e-mail notice to
every account, at least POLICY_NOTICE_DAYS days before it takes effect; a refusal changes
nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from tests.plugin import run_queued_tasks

from routinie.core.errors import Conflict, InvalidInput
from routinie.policy.models import PolicyNotice, PolicyVersion
from routinie.policy.publishing import announce_version, publish_version, save_draft
from routinie.policy.selectors import policy_in_force

SOURCE = "# Policy\n\nRun by {{ operator }}. We keep:\n\n{{ data_we_keep }}\n"

pytestmark = pytest.mark.django_db(transaction=True)


def _draft(*, reduces_rights: bool, days: int = 45) -> PolicyVersion:
    return save_draft(
        source=SOURCE,
        summary="We now keep your favourite colour.",
        effective_at=timezone.now() + timedelta(days=days),
        reduces_rights=reduces_rights,
    )


@pytest.mark.promise("P15")
def test_a_rights_reducing_version_without_notice_is_refused_and_stays_a_draft(make_user):
    make_user()
    draft = _draft(reduces_rights=True)
    with pytest.raises(Conflict, match="announce it first"):
        publish_version(version_id=draft.pk)
    draft.refresh_from_db()
    assert draft.published_at is None
    assert PolicyNotice.objects.count() == 0


@pytest.mark.promise("P15")
def test_publishing_waits_until_every_account_was_told(make_user, smtp_sink):
    make_user(confirmed=False)
    make_user(confirmed=False)
    draft = _draft(reduces_rights=True)
    announce_version(version_id=draft.pk)
    with pytest.raises(Conflict, match="2 account"):
        publish_version(version_id=draft.pk)
    run_queued_tasks()
    smtp_sink.wait_for(4)  # two confirmations, two notices
    published = publish_version(version_id=draft.pk)
    assert published.published_at is not None


@pytest.mark.promise("P15")
def test_notices_less_than_the_notice_period_before_the_effective_date_are_refused(
    make_user, smtp_sink, settings
):
    settings.POLICY_NOTICE_DAYS = 30
    make_user(confirmed=False)
    draft = _draft(reduces_rights=True, days=20)
    announce_version(version_id=draft.pk)
    run_queued_tasks()
    smtp_sink.wait_for(2)
    with pytest.raises(Conflict, match="30 days later"):
        publish_version(version_id=draft.pk)
    assert PolicyVersion.objects.get(pk=draft.pk).published_at is None


def test_a_version_that_keeps_rights_is_published_without_notice_and_takes_effect_on_its_date(db):
    draft = _draft(reduces_rights=False, days=3)
    publish_version(version_id=draft.pk)
    assert policy_in_force().version == 1
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert policy_in_force().version == draft.version


def test_an_effective_date_in_the_past_or_before_the_version_in_force_is_refused(db):
    draft = _draft(reduces_rights=False, days=-2)
    with pytest.raises(InvalidInput) as refused:
        publish_version(version_id=draft.pk)
    assert refused.value.errors[0].code == "in_the_past"
    draft.effective_at = policy_in_force().effective_at
    draft.save()
    with pytest.raises(InvalidInput):
        publish_version(version_id=draft.pk)


def test_a_published_version_cannot_be_published_again_or_changed(db):
    draft = _draft(reduces_rights=False)
    publish_version(version_id=draft.pk)
    with pytest.raises(Conflict):
        publish_version(version_id=draft.pk)
    with pytest.raises(Conflict):
        save_draft(
            version=draft,
            source=SOURCE,
            summary="x",
            effective_at=draft.effective_at,
            reduces_rights=False,
        )


def test_drafts_number_themselves_and_freeze_the_facts(db, settings):
    draft = _draft(reduces_rights=False)
    assert draft.version == 2
    assert "{{" not in draft.text
    assert settings.OPERATOR_NAME in draft.text
