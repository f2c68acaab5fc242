"""Sending each message once over real SMTP, and the stamp that serialises a mass mailing once."""

import email
import email.policy

import pytest

from routinie.core.mail import render_mail
from routinie.core.mail_once import Outgoing, Stamp, send_each_once

CONTEXT = {"user": {"name": "Ana"}, "days": 180, "account_url": "http://x/account/"}


def _mail():
    return render_mail(template="accounts/email/password_reminder", context=CONTEXT)


def _parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=email.policy.default)


def test_a_stamped_copy_is_the_whole_message_with_its_own_recipient_and_id():
    mail = _mail()
    stamp = Stamp(lambda to, mid: mail.to(to, headers={"Message-ID": mid}))
    data = stamp.data_for("p1@example.test", "<abc.123@wesrom.com>")
    assert data is not None
    stamped = _parsed(data)
    whole = mail.to("p1@example.test", headers={"Message-ID": "<abc.123@wesrom.com>"}).message()
    for header in ("To", "Message-ID", "Subject", "From", "Content-Type"):
        assert str(stamped[header]).split(";")[0] == str(whole[header]).split(";")[0]
    assert stamped["To"] == "p1@example.test"
    text = stamped.get_body(preferencelist=("plain",)).get_content()
    assert "180 days" in text
    assert "to@stamp.invalid" not in data.decode()


@pytest.mark.parametrize(
    ("address", "message_id"),
    [
        ("ünï@example.test", "<a@b.test>"),
        ("p1@example.test\r\nBcc: x@evil.test", "<a@b.test>"),
        ("p1@example.test", "<a@b.test>\r\nBcc: x@evil.test"),
        ("a-very-long-local-part-" + "x" * 60 + "@example.test", "<a@b.test>"),
    ],
)
def test_anything_but_a_plain_short_address_and_id_is_serialised_whole(address, message_id):
    mail = _mail()
    stamp = Stamp(lambda to, mid: mail.to(to, headers={"Message-ID": mid}))
    assert stamp.data_for(address, message_id) is None


def test_stamped_messages_arrive_over_smtp_once_each(smtp_sink):
    mail = _mail()
    stamp = Stamp(lambda to, mid: mail.to(to, headers={"Message-ID": mid}))
    sent: list[str] = []
    items = []
    for n in range(3):
        address, mid = f"p{n}@example.test", f"<m{n}@wesrom.com>"
        items.append(
            Outgoing(
                mail.to(address, headers={"Message-ID": mid}),
                record=lambda address=address: sent.append(address) is None,
                unrecord=lambda: None,
                data=stamp.data_for(address, mid),
            )
        )
    assert send_each_once(items) == 3
    received = smtp_sink.wait_for(3)
    assert [(r.rcpt_tos, r["To"], r["Message-ID"]) for r in received] == [
        ([f"p{n}@example.test"], f"p{n}@example.test", f"<m{n}@wesrom.com>") for n in range(3)
    ]
    assert sent == [f"p{n}@example.test" for n in range(3)]


def test_a_message_someone_else_recorded_is_not_delivered(smtp_sink):
    mail = _mail()
    taken = Outgoing(mail.to("a@example.test"), record=lambda: False, unrecord=lambda: None)
    free = Outgoing(mail.to("b@example.test"), record=lambda: True, unrecord=lambda: None)
    assert send_each_once([taken, free]) == 1
    assert [r.rcpt_tos for r in smtp_sink.wait_for(1)] == [["b@example.test"]]
