"""Reading an inbound e-mail: what is kept, and each refusal with its reason (no database)."""

import contextlib

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from routinie.support.inbound import Refused, html_text, parse_mail, without_quoted_history
from routinie.support.tests.mails import raw_mail


def refusal(raw: bytes, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        parse_mail(raw, **kwargs)
    return caught.value


def test_a_plain_message_gives_sender_subject_ids_and_text():
    mail = parse_mail(
        raw_mail(
            sender="Ana.Pop@Example.TEST",
            subject="Re: Fwd: Help with my timer",
            in_reply_to="<b@x.test>",
            references="<a@x.test> <b@x.test>",
        )
    )
    assert mail.sender == "ana.pop@example.test"
    assert mail.subject == "Help with my timer"
    assert mail.message_id == "<first@mail.example.test>"
    assert mail.replies_to == ["<b@x.test>", "<a@x.test>"]
    assert mail.body == "Hello, my timer does not stop."
    assert mail.attachments == []


def test_the_text_part_is_preferred_to_the_html_one():
    mail = parse_mail(raw_mail(body="Plain words", html="<p>Rich <b>words</b></p>"))
    assert mail.body == "Plain words"


def test_an_html_only_message_keeps_its_text_without_scripts_or_styles():
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Hello &amp; thanks</p>"
        "<script>alert('x')</script><div>Second<br>line</div></body></html>"
    )
    mail = parse_mail(raw_mail(body=None, html=html))
    assert mail.body == "Hello & thanks\nSecond\nline"
    assert "alert" not in mail.body
    assert "color" not in mail.body


def test_quoted_history_under_a_reply_is_dropped():
    body = "Thanks, that worked.\n\nOn Mon, 2 Mar 2026 at 10:00, Support wrote:\n> Try this.\n"
    assert parse_mail(raw_mail(body=body)).body == "Thanks, that worked."
    assert without_quoted_history("Only\n> quoted\n> lines") == "Only"
    assert without_quoted_history("> all quoted") == "> all quoted", "nothing left: unchanged"


def test_attachments_are_listed_by_name_type_and_size_not_kept():
    mail = parse_mail(raw_mail(attachments=2))
    assert mail.attachments == [
        {"name": "scan-1.pdf", "type": "application/pdf", "size": 109},
        {"name": "scan-2.pdf", "type": "application/pdf", "size": 209},
    ]
    assert mail.body == "Hello, my timer does not stop."


def test_a_message_over_the_size_limit_is_refused(settings):
    settings.SUPPORT_MAX_MESSAGE_BYTES = 2000
    refused = refusal(raw_mail(body="x" * 3000))
    assert refused.smtp_code == 552
    assert "too large" in refused.reason
    assert "limit is 2000" in refused.reason


def test_too_many_attachments_are_refused(settings):
    settings.SUPPORT_MAX_ATTACHMENTS = 2
    refused = refusal(raw_mail(attachments=3))
    assert refused.smtp_code == 552
    assert "3 attachments; at most 2" in refused.reason


@pytest.mark.parametrize(
    ("raw", "reason", "smtp_code"),
    [  # 554: the message itself is unusable; 550: a readable message we do not take (a loop)
        (raw_mail(sender=None), "no From address", 554),
        (
            raw_mail(sender=None, headers={"From": "a@example.test, b@example.test"}),
            "more than one From",
            554,
        ),
        (raw_mail(sender="not-an-address"), "not a valid e-mail address", 554),
        (raw_mail(body=None, attachments=1), "no text part", 554),
        (raw_mail(body="   \n  "), "text is empty", 554),
        (raw_mail(message_id="no-brackets@x"), "Message-ID header is malformed", 554),
        (raw_mail(sender="support@wesrom.com"), "support address itself", 550),
        (b"", "empty", 554),
        (b"\x00\xff\xfe garbage without headers", "no From address", 554),
    ],
)
def test_malformed_messages_are_refused_with_the_reason(raw, reason, smtp_code):
    refused = refusal(raw)
    assert reason in refused.reason
    assert refused.smtp_code == smtp_code


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Automatic message"),
        ({"Return-Path": "<>"}, "bounce"),
        ({"Precedence": "bulk"}, "Bulk or automatic"),
        ({"X-Autoreply": "yes"}, "auto-reply"),
    ],
)
def test_automatic_mail_is_refused(headers, reason):
    assert reason in refusal(raw_mail(headers=headers)).reason


def test_a_bounce_by_its_envelope_or_mailer_daemon_is_refused():
    assert "bounce" in refusal(raw_mail(), envelope_sender="").reason
    assert "mailer daemon" in refusal(raw_mail(sender="MAILER-DAEMON@example.test")).reason


def test_auto_submitted_no_is_a_person_writing():
    assert parse_mail(raw_mail(headers={"Auto-Submitted": "no"})).body


def test_an_unknown_charset_is_read_as_utf8():
    raw = raw_mail().replace(b'charset="utf-8"', b'charset="x-unknown-42"')
    assert b"x-unknown-42" in raw
    assert parse_mail(raw).body == "Hello, my timer does not stop."


def test_html_text_keeps_line_structure():
    assert html_text("<p>a</p><p>b</p>") == "a\nb"


@hypothesis_settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_are_either_read_or_refused_never_an_error(raw):
    with contextlib.suppress(Refused):
        parse_mail(b"From: a@example.test\r\nSubject: s\r\n\r\n" + raw)
    with contextlib.suppress(Refused):
        parse_mail(raw)
