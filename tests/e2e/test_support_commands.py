"""`routinie mail-in` and `routinie smtpd` as a mail server runs them (subprocesses, a SQLite
file database): stored is exit 0 / SMTP 250; a refusal is a non-zero exit or an SMTP 5xx with
the reason, and stores nothing."""

import os
import smtplib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from routinie.support.tests.mails import raw_mail
from tests.e2e.commands import routinie as _routinie
from tests.smtp_sink import free_port

SUPPORT = "support@wesrom.com"
COUNT = (
    "from routinie.support.models import Conversation, Message; "
    "print(Conversation.objects.count(), Message.objects.count())"
)
CONFIRMED_ANA = (
    "from django.utils import timezone; from routinie.accounts.services import sign_up; "
    "u = sign_up(name='Ana', email='ana@example.test', password='tidy-Lantern-42', "
    "accept_policy_version=1); u.email_confirmed_at = timezone.now(); u.save()"
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: Any) -> dict[str, str]:
    """A migrated SQLite file database that every `routinie` subprocess of this module shares."""
    data = tmp_path_factory.mktemp("support-commands")
    environ = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        },
        "DATA_DIR": str(data),
        "EMAIL_URL": "console:",
        "SUPPORT_MAX_MESSAGE_BYTES": "20000",
        "SUPPORT_MAX_ATTACHMENTS": "2",
    }
    assert routinie(environ, "migrate", "--noinput").returncode == 0
    assert routinie(environ, "shell", "-c", CONFIRMED_ANA).returncode == 0
    return environ


def routinie(env: dict[str, str], *args: str, stdin: bytes = b"") -> Any:
    return _routinie(env, *args, stdin=stdin, text=False)


def counts(env: dict[str, str]) -> tuple[int, int]:
    out = routinie(env, "shell", "-c", COUNT).stdout.decode().split()
    return int(out[-2]), int(out[-1])


def test_mail_in_stores_a_message_once_and_says_so(env):
    before = counts(env)
    raw = raw_mail(sender="ana@example.test", message_id="<cmd-1@ana.test>")  # her account
    stored = routinie(env, "mail-in", stdin=raw)
    assert stored.returncode == 0, stored.stderr
    assert b"stored in conversation" in stored.stdout
    again = routinie(env, "mail_in", stdin=raw)  # the module name works too
    assert again.returncode == 0
    assert b"already stored" in again.stdout
    assert counts(env) == (before[0] + 1, before[1] + 1)
    account = routinie(
        env,
        "shell",
        "-c",
        "from routinie.support.models import Message; "
        "print(Message.objects.get(message_id='<cmd-1@ana.test>').conversation.user.email)",
    )
    assert account.stdout.decode().split()[-1] == "ana@example.test"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (raw_mail(sender=None, message_id="<bad-1@x>"), b"no From address"),
        (b"\x00\x01 not an e-mail at all", b"no From address"),
        (raw_mail(body=None, attachments=1, message_id="<bad-2@x>"), b"no text part"),
        (raw_mail(body="x" * 30000, message_id="<bad-3@x>"), b"too large"),
        (raw_mail(attachments=3, message_id="<bad-4@x>"), b"3 attachments; at most 2"),
        (
            raw_mail(headers={"Auto-Submitted": "auto-replied"}, message_id="<bad-5@x>"),
            b"Automatic",
        ),
        (b"", b"empty"),
    ],
)
def test_mail_in_refuses_bad_mail_with_a_reason_and_stores_nothing(env, raw, reason):
    before = counts(env)
    refused = routinie(env, "mail-in", stdin=raw)
    assert refused.returncode == 65
    assert b"mail-in: refused: " in refused.stderr
    assert reason in refused.stderr
    assert refused.stdout == b""
    assert counts(env) == before


def test_a_bounce_by_its_envelope_sender_is_refused(env):
    refused = routinie(env, "mail-in", "--sender", "", stdin=raw_mail(message_id="<bounce@x>"))
    assert refused.returncode == 65
    assert b"bounce" in refused.stderr


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("routinie smtpd did not start listening")


def test_smtpd_stores_mail_for_the_support_address_and_refuses_the_rest(env, tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "routinie", "smtpd", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        before = counts(env)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            raw = raw_mail(sender="guest@example.test", message_id="<smtpd-1@guest.test>")
            assert smtp.sendmail("guest@example.test", [SUPPORT], raw) == {}
            with pytest.raises(smtplib.SMTPRecipientsRefused) as wrong:
                smtp.sendmail("guest@example.test", ["billing@wesrom.com"], raw)
            assert wrong.value.recipients["billing@wesrom.com"][0] == 550
            with pytest.raises(smtplib.SMTPDataError) as malformed:
                smtp.sendmail("guest@example.test", [SUPPORT], raw_mail(body=None, attachments=1))
            assert malformed.value.smtp_code == 554
            assert b"no text part" in malformed.value.smtp_error
            with pytest.raises(smtplib.SMTPDataError) as crowded:
                smtp.sendmail("guest@example.test", [SUPPORT], raw_mail(attachments=3))
            assert crowded.value.smtp_code == 552
        assert counts(env) == (before[0] + 1, before[1] + 1)
        again = routinie(env, "mail-in", stdin=raw)
        assert b"already stored" in again.stdout, "the same store behind both doors"
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert b"smtpd: stopped" in out
    assert b"@" not in out + err, "no e-mail address in its output"
