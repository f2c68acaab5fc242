"""Notice e-mails (P15): one per account over real SMTP, never twice, whatever runs again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.concurrency import at_once
from tests.plugin import run_queued_tasks

from routinie.policy.models import PolicyNotice
from routinie.policy.notices import send_notices_in_range
from routinie.policy.publishing import announce_version, save_draft

pytestmark = pytest.mark.django_db(transaction=True)
FIRST, LAST = "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"


def _notices(sink, count: int) -> list:
    """The policy notices among what the SMTP server got (the people here are fresh sign-ups,
    `confirmed=False`, who are sent a confirmation too)."""
    sink.wait_for(count)
    return [r for r in sink.received if "privacy policy" in r["Subject"]]


def _announced(reduces_rights: bool = True):
    draft = save_draft(
        source="New terms by {{ operator }}.",
        summary="We keep sign-in times for a year.",
        effective_at=timezone.now() + timedelta(days=40),
        reduces_rights=reduces_rights,
    )
    return announce_version(version_id=draft.pk)


@pytest.mark.promise("P15")
def test_every_account_gets_exactly_one_notice_even_when_everything_runs_twice(
    make_user, smtp_sink, settings
):
    settings.POLICY_NOTICE_BATCH = 2
    emails = [make_user(email=f"n{i}@example.test", confirmed=False)[0].email for i in range(5)]
    version = _announced()
    run_queued_tasks()
    announce_version(version_id=version.pk)  # announcing again resumes, sends nothing new
    run_queued_tasks()
    send_notices_in_range(version=version, first=FIRST, last=LAST)  # a stray re-run of a batch
    received = _notices(smtp_sink, 10)
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(emails)
    assert PolicyNotice.objects.filter(version=version).count() == 5


def test_the_notice_says_what_changes_when_and_how_to_leave(make_user, smtp_sink, settings):
    user, _ = make_user(name="Ana Pop", email="ana@example.test", confirmed=False)
    version = _announced()
    run_queued_tasks()
    (message,) = _notices(smtp_sink, 2)
    text = message.text()
    assert message["Subject"].startswith("Important: our privacy policy changes on")
    assert text.startswith("Hello,")
    assert "Ana" not in text  # the same notice for everyone, naming no one
    assert "We keep sign-in times for a year." in text
    assert f"{settings.SITE_URL}/privacy/versions/{version.version}/" in text
    assert "/privacy/changes/?from=1&to=2" in text
    assert "delete your account" in text
    assert settings.OPERATOR_NAME in text
    assert message["Message-ID"] == PolicyNotice.objects.get(user=user).message_id
    assert message["Auto-Submitted"] == "auto-generated"


def test_an_account_created_after_the_announcement_is_told_too(make_user, smtp_sink):
    _announced()
    run_queued_tasks()
    make_user(email="late@example.test", confirmed=False)
    run_queued_tasks()
    assert [r.rcpt_tos for r in _notices(smtp_sink, 2)] == [["late@example.test"]]


def test_a_refusing_smtp_server_leaves_the_account_to_be_told_later(make_user, smtp_sink):
    make_user(email="bounce@example.test")
    version = _announced()
    original = smtp_sink.handle_DATA

    async def refuse(server, session, envelope):
        return "451 try again later"

    smtp_sink.handle_DATA = refuse
    assert send_notices_in_range(version=version, first=FIRST, last=LAST) == 0
    assert PolicyNotice.objects.count() == 0
    smtp_sink.handle_DATA = original
    assert send_notices_in_range(version=version, first=FIRST, last=LAST) == 1


def test_one_address_the_server_refuses_does_not_stop_the_others(make_user, smtp_sink, caplog):
    """Issue 15: a notice batch goes on past an account whose address the server refuses; the
    account is reported by its id (never its address) and left for the sweep to try again."""
    refused, _ = make_user(email="refused@example.test")
    make_user(email="first@example.test")
    make_user(email="last@example.test")
    version = _announced()
    original = smtp_sink.handle_DATA

    async def refuse_one(server, session, envelope):
        if "refused@example.test" in envelope.rcpt_tos:
            return "550 no such mailbox"
        return await original(server, session, envelope)

    smtp_sink.handle_DATA = refuse_one
    with caplog.at_level("WARNING", logger="routinie.jobs"):
        assert send_notices_in_range(version=version, first=FIRST, last=LAST) == 2
    told = set(PolicyNotice.objects.values_list("user__email", flat=True))
    assert told == {"first@example.test", "last@example.test"}
    assert f"account {refused.pk} skipped (SmtpRefused)" in caplog.text
    assert "refused@example.test" not in caplog.text


def test_the_fan_out_or_a_sweep_run_twice_keeps_one_chain_of_sweeps(make_user):
    """A task the queue runs again (its worker died) must not start a second chain of sweeps."""
    from django_tasks_db.models import DBTaskResult

    from routinie.policy.notices import start_policy_notices, sweep_policy_notices

    make_user(email="s@example.test", confirmed=False)
    version = _announced()
    start_policy_notices.call(version.pk)
    start_policy_notices.call(version.pk)  # run again
    sweep_policy_notices.call(version.pk)  # and a sweep, twice, while someone is left
    sweep_policy_notices.call(version.pk)
    waiting = DBTaskResult.objects.filter(
        task_path=sweep_policy_notices.module_path, status="READY"
    )
    assert waiting.count() == 1


def test_fan_outs_run_at_once_on_several_workers_keep_one_chain_of_sweeps(make_user):
    """The fan-out run by several workers at the same moment (a version announced twice, on two
    app servers) queues one next sweep, not one per worker."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from routinie.policy.notices import start_policy_notices, sweep_policy_notices

    if connection.vendor == "sqlite":
        pytest.skip("threads share the suite's in-memory SQLite, whose tables lock: PostgreSQL's")
    make_user(email="s@example.test", confirmed=False)
    version = _announced()
    at_once(8, lambda: start_policy_notices.call(version.pk))
    waiting = DBTaskResult.objects.filter(
        task_path=sweep_policy_notices.module_path, status="READY"
    )
    assert waiting.count() == 1
