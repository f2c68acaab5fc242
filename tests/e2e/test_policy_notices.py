"""Policy change notices, black-box (P15): over a live server and a real SMTP server, a version
that reduces rights cannot be published without notice; with notice every account gets exactly
one e-mail, even when the worker is killed half-way and started again."""

import re
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from routinie.policy.models import PolicyNotice, PolicyVersion
from tests.e2e.commands import file_database_env, routinie
from tests.e2e.site_client import Site
from tests.plugin import run_queued_tasks

ACCOUNTS = 240
SETUP = textwrap.dedent(
    f"""
    from datetime import timedelta
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from routinie.accounts.models import User
    from routinie.policy.publishing import announce_version, save_draft

    hashed = make_password("tidy-Lantern-42")
    User.objects.bulk_create(
        User(name=f"Person {{i}}", email=f"p{{i}}@example.test", password=hashed)
        for i in range({ACCOUNTS})
    )
    draft = save_draft(
        source="Run by {{{{ operator }}}}. We keep sign-in times for a year.",
        summary="We keep sign-in times for a year.",
        effective_at=timezone.now() + timedelta(days=45),
        reduces_rights=True,
    )
    announce_version(version_id=draft.pk)
    """
)
WORKER_OPTIONS = ["--interval", "0.1", "--no-startup-delay", "--no-reload"]
COUNT = "from routinie.policy.models import PolicyNotice; print(PolicyNotice.objects.count())"


def _routinie_checked(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = routinie(env, *args)
    assert result.returncode == 0, result.stderr
    return result


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "routinie", "db_worker", *WORKER_OPTIONS],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.promise("P15")
def test_every_account_gets_exactly_one_notice_when_the_worker_is_killed_and_restarted(
    tmp_path: Path, smtp_sink
):
    env = file_database_env(  # the worker and the commands share it
        tmp_path,
        EMAIL_URL=smtp_sink.url,
        POLICY_NOTICE_BATCH="40",
        POLICY_NOTICE_SWEEP_SECONDS="1",
        LOG_LEVEL="WARNING",
    )
    _routinie_checked(env, "migrate", "--noinput")
    _routinie_checked(env, "shell", "-c", SETUP)

    worker = _worker(env)
    try:
        smtp_sink.wait_for(ACCOUNTS // 3, timeout=60)
    finally:
        worker.send_signal(signal.SIGKILL)  # no chance to finish what it was doing
        worker.wait()
    delivered_when_killed = len(smtp_sink.received)
    assert delivered_when_killed < ACCOUNTS, "the worker was killed before it was done"

    worker = _worker(env)
    try:
        smtp_sink.wait_for(ACCOUNTS, timeout=90)
        time.sleep(2)  # room for any duplicate to arrive
    finally:
        worker.terminate()
        worker.wait()

    per_address = Counter(r.rcpt_tos[0] for r in smtp_sink.received)
    assert len(per_address) == ACCOUNTS
    assert set(per_address.values()) == {1}
    assert _routinie_checked(env, "shell", "-c", COUNT).stdout.split()[-1] == str(ACCOUNTS)


def _staff_site(live_server, make_user) -> Site:
    staff, password = make_user(
        name="Staff Member", email="staff@example.test", superuser=True, confirmed=False
    )
    site = Site(live_server.url)
    assert site.sign_in(staff.email, password).status_code == 302
    return site


def _admin_action(site: Site, action: str, version: PolicyVersion) -> str:
    path = "/admin/policy/policyversion/"
    token = site.csrf_from(path)
    response = site.http.post(
        path,
        data={
            "csrfmiddlewaretoken": token,
            "action": action,
            "_selected_action": str(version.pk),
            "index": "0",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.text


@pytest.mark.promise("P15")
@pytest.mark.django_db(transaction=True)
def test_staff_cannot_publish_a_reducing_version_before_everyone_was_told(
    live_server, make_user, smtp_sink, settings
):
    settings.POLICY_NOTICE_DAYS = 30
    site = _staff_site(live_server, make_user)
    for n in range(3):
        make_user(email=f"member{n}@example.test", confirmed=False)
    from routinie.policy.publishing import save_draft

    draft = save_draft(
        source="Run by {{ operator }}. We keep sign-in times for a year.",
        summary="We keep sign-in times for a year.",
        effective_at=timezone.now() + timedelta(days=31),
        reduces_rights=True,
    )

    refused = _admin_action(site, "publish", draft)
    assert "announce it first" in refused.replace("&#x27;", "'")
    assert PolicyVersion.objects.get(pk=draft.pk).published_at is None

    assert "done" in _admin_action(site, "announce", draft)
    run_queued_tasks()
    # four fresh sign-ups (confirmed=False): four confirmations, four notices
    notices = [r for r in smtp_sink.wait_for(8) if "privacy policy" in r["Subject"]]
    assert sorted(r.rcpt_tos[0] for r in notices) == sorted(
        ["staff@example.test"] + [f"member{n}@example.test" for n in range(3)]
    )
    assert PolicyNotice.objects.filter(version=draft).count() == 4

    assert "done" in _admin_action(site, "publish", draft)
    published = site.get("/api/v1/public/privacy-policy").json()
    assert [v["version"] for v in published["upcoming"]] == [draft.version]
    assert re.search(r"Version 2 takes effect on", site.get("/privacy/").text)
