"""The support inbox over real SMTP and a live server (P07): an e-mail sent to the support
address reaches the listener `routinie smtpd` runs (the same code, in this process, so it shares
the test database), appears in the person's conversation over HTTP and the API, and the staff
reply made on the support console arrives over SMTP, threaded to the person's message.

`routinie smtpd` and `routinie mail-in` themselves run as subprocesses in
test_support_commands.py."""

import re
import smtplib
from email.message import EmailMessage
from typing import Any

import pytest

from routinie.support.models import Conversation
from routinie.support.smtp_listener import support_listener
from tests.e2e.site_client import api_sign_up, api_token
from tests.plugin import run_queued_tasks
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db(transaction=True)

SUPPORT = "support@wesrom.com"
CONFIRM_LINK = re.compile(r"/confirm-email/[^/\s]+/")


@pytest.fixture
def listener() -> Any:
    """The support SMTP listener on a free loopback port (what `routinie smtpd` starts)."""
    port = free_port()
    controller = support_listener(host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def mail(sender: str, subject: str, body: str, message_id: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def send(port: int, message: EmailMessage, to: str = SUPPORT) -> dict[str, Any]:
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
        return smtp.send_message(message, to_addrs=[to])


def confirmed_person(site: Any, smtp_sink: Any, name: str, email: str) -> tuple[Any, str]:
    """Sign up over the API and open the confirmation link that arrives by SMTP."""
    web = site()
    assert api_sign_up(web, name, email).status_code == 201
    run_queued_tasks()
    smtp_sink.wait_for(1)
    (confirmation,) = smtp_sink.to(email)
    link = CONFIRM_LINK.search(confirmation.text())
    assert link, confirmation.text()
    assert web.get(link.group(0)).status_code == 200
    return web, api_token(web, email)


@pytest.mark.promise("P07")
def test_an_email_over_smtp_reaches_the_conversation_and_the_staff_reply_comes_back_threaded(
    site, smtp_sink, listener, make_user
):
    ana, token = confirmed_person(site, smtp_sink, "Ana Pop", "ana@example.test")
    _staff, staff_password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)

    refused = send(
        listener, mail("Ana Pop <ana@example.test>", "Export?", "Where?", "<q1@ana.test>")
    )
    assert refused == {}, "no recipient refused"

    listed = ana.api("GET", "/support/conversations", token=token).json()["items"]
    assert [c["subject"] for c in listed] == ["Export?"]
    conversation_id = listed[0]["id"]
    detail = ana.api("GET", f"/support/conversations/{conversation_id}", token=token).json()
    assert [(m["author"], m["channel"], m["body"]) for m in detail["messages"]] == [
        ("user", "email", "Where?")
    ]
    ana.sign_in("ana@example.test")
    assert "Export?" in ana.get("/support/").text
    assert "Where?" in ana.get(f"/support/{conversation_id}/").text

    console = site()
    assert console.sign_in("sam@wesrom.test", staff_password).status_code == 302
    assert "Export?" in console.get("/support/staff/").text
    page = f"/support/staff/{conversation_id}/"
    answer = console.submit(page, page, {"body": "In your account page, under Export."})
    assert answer.status_code == 302
    run_queued_tasks()

    smtp_sink.wait_for(2)
    (reply,) = [m for m in smtp_sink.to("ana@example.test") if m["Subject"] == "Re: Export?"]
    assert reply["In-Reply-To"] == "<q1@ana.test>"
    assert reply["References"] == "<q1@ana.test>"
    assert reply["Reply-To"] == SUPPORT
    assert reply["Message-ID"].endswith("@wesrom.com>")
    assert "In your account page, under Export." in reply.text()
    assert "In your account page" in ana.get(f"/support/{conversation_id}/").text

    # Ana answers from her mail program: the answer joins the same conversation.
    send(
        listener,
        mail(
            "ana@example.test",
            "Re: Export?",
            "Found it, thanks!\n\nOn Tue, Support wrote:\n> In your account page",
            "<q2@ana.test>",
            In_Reply_To=reply["Message-ID"],
            References=f"<q1@ana.test> {reply['Message-ID']}",
        ),
    )
    detail = ana.api("GET", f"/support/conversations/{conversation_id}", token=token).json()
    assert [m["body"] for m in detail["messages"]][-1] == "Found it, thanks!"
    assert len(detail["messages"]) == 3
    assert len(ana.api("GET", "/support/conversations", token=token).json()["items"]) == 1


def test_the_listener_refuses_other_recipients_and_bad_mail_with_the_reason(
    site, listener, smtp_sink
):
    message = mail("guest@example.test", "Hi", "Hello", "<r1@guest.test>")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as wrong:
        send(listener, message, to="sales@wesrom.com")
    code, reason = wrong.value.recipients["sales@wesrom.com"]
    assert code == 550
    assert b"only support@wesrom.com" in reason

    automatic = mail("guest@example.test", "Out of office", "Away", "<r2@guest.test>")
    automatic["Auto-Submitted"] = "auto-replied"
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listener, automatic)
    assert refused.value.smtp_code == 550
    assert b"Automatic message" in refused.value.smtp_error

    with (
        smtplib.SMTP("127.0.0.1", listener, timeout=20) as smtp,
        pytest.raises(smtplib.SMTPDataError) as malformed,
    ):
        smtp.sendmail("x@example.test", [SUPPORT], b"Subject: no sender\r\n\r\nhi")
    assert malformed.value.smtp_code == 554
    assert b"no From address" in malformed.value.smtp_error
    assert not Conversation.objects.exists()

    send(listener, message)
    assert Conversation.objects.get().sender_email == "guest@example.test"
