"""Raw e-mails for the support tests, built as a mail program would send them."""

from email.message import EmailMessage


def raw_mail(
    *,
    sender: str | None = "ada@example.test",
    to: str = "support@wesrom.com",
    subject: str = "Help with my timer",
    body: str | None = "Hello, my timer does not stop.",
    html: str | None = None,
    message_id: str | None = "<first@mail.example.test>",
    in_reply_to: str | None = None,
    references: str | None = None,
    attachments: int = 0,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    if sender is not None:
        message["From"] = f"Ada Pop <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for n in range(attachments):
        message.add_attachment(
            b"%PDF-1.4 " + bytes(100 * (n + 1)),
            maintype="application",
            subtype="pdf",
            filename=f"scan-{n + 1}.pdf",
        )
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
