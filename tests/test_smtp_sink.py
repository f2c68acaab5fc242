"""The SMTP sink every e-mail test relies on really speaks SMTP."""

from routinie.core.mail import send_templated_mail


def test_a_templated_mail_arrives_over_smtp_with_both_parts(smtp_sink, settings):
    send_templated_mail(
        to="ana@example.test",
        template="accounts/email/password_reminder",
        context={"name": "Ana", "days": 180, "account_url": "http://x/account/"},
    )
    (message,) = smtp_sink.wait_for(1)
    assert message.rcpt_tos == ["ana@example.test"]
    assert settings.OPERATOR_NAME in message.text()
    assert "<" in message.html()
