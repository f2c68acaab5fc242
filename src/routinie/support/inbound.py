"""Reading one inbound e-mail (RFC 5322 bytes) into what the support inbox keeps, or a clear
refusal. Nothing here touches the database: `receiving.py` stores what this returns.

What is kept: the sender's address, the subject, the Message-ID and the ids it replies to, and
the text (the text/plain part, or the HTML part reduced to its text). Attachments are never
kept: their names, types and sizes are, so staff can ask for what they need another way.
Refused (nothing stored, the reason said): messages over SUPPORT_MAX_MESSAGE_BYTES, with more
than SUPPORT_MAX_ATTACHMENTS attachments, without a usable From or text, and automatic mail
(auto-replies, bounces, bulk mail), which would otherwise answer our answers for ever.
"""

import html
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError, MessageError
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
QUOTE_INTRO = re.compile(r"^\s*(On\s.+wrote:|-{2,}\s*Original Message\s*-{2,})\s*$", re.I)
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")
SUBJECT_MAX = 200
# What the standard library's parser may raise on a malformed message.
PARSE_ERRORS = (
    MessageError,
    HeaderParseError,
    LookupError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
)


class Refused(Exception):
    """The message is not stored; `reason` says why, `smtp_code` is what SMTP answers."""

    def __init__(self, reason: str, smtp_code: int = 550) -> None:
        super().__init__(reason)
        self.reason = reason
        self.smtp_code = smtp_code


@dataclass(frozen=True)
class InboundMail:
    sender: str  # lowercased address
    subject: str
    message_id: str  # "" when the message has none
    replies_to: list[str]  # In-Reply-To, then References (newest first)
    body: str
    attachments: list[dict[str, Any]] = field(default_factory=list)


def parse_mail(raw: bytes, *, envelope_sender: str | None = None) -> InboundMail:
    """The parts of `raw` the inbox keeps, or Refused with the reason."""
    limit = settings.SUPPORT_MAX_MESSAGE_BYTES
    if len(raw) > limit:
        raise Refused(
            f"The message is too large ({len(raw)} bytes; the limit is {limit}). Support keeps "
            "text only: send the text without attachments.",
            552,
        )
    if not raw.strip():
        raise Refused("The message is empty.", 554)
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        _refuse_automatic(message, envelope_sender)
        sender = _sender(message)
        attachments = _attachments(message)
        body = _body(message)
        return InboundMail(
            sender=sender,
            subject=_subject(message),
            message_id=_message_id(message),
            replies_to=_references(message),
            body=body,
            attachments=attachments,
        )
    except Refused:
        raise
    except PARSE_ERRORS as exc:
        raise Refused(f"The message could not be read ({type(exc).__name__}).", 554) from None


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _refuse_automatic(message: EmailMessage, envelope_sender: str | None) -> None:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        raise Refused(f"Automatic message (Auto-Submitted: {auto[:40]}): not stored.")
    if envelope_sender == "" or _header(message, "Return-Path") == "<>":
        raise Refused("A bounce (empty return path): not stored.")
    if _header(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        raise Refused("Bulk or automatic mail (Precedence header): not stored.")
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        raise Refused("An auto-reply: not stored.")
    if message.get_content_type() == "multipart/report":
        raise Refused("A delivery report: not stored.")


def _sender(message: EmailMessage) -> str:
    raw_from = message.get_all("From") or []
    addresses = [a for _, a in getaddresses([str(v) for v in raw_from]) if a]
    if not addresses:
        raise Refused("The message has no From address.", 554)
    if len(addresses) > 1:
        raise Refused("The message has more than one From address.", 554)
    address = addresses[0].strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise Refused("The From address is not a valid e-mail address.", 554) from None
    if address.startswith(BOUNCE_SENDERS):
        raise Refused("A bounce (from a mailer daemon): not stored.")
    if address == parseaddr(settings.SUPPORT_EMAIL)[1].lower():
        raise Refused("Mail from the support address itself: not stored (a loop).")
    return address


def _subject(message: EmailMessage) -> str:
    subject = _header(message, "Subject").replace("\x00", "")
    while True:
        stripped = re.sub(r"^\s*(re|fwd?|aw|sv)\s*(\[\d+\])?\s*:\s*", "", subject, flags=re.I)
        if stripped == subject:
            break
        subject = stripped
    subject = subject or "(no subject)"
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "\u2026"


def _message_id(message: EmailMessage) -> str:
    value = _header(message, "Message-ID")
    if not value:
        return ""
    match = MESSAGE_ID.fullmatch(value)
    if match is None:
        raise Refused("The Message-ID header is malformed.", 554)
    return value


def _references(message: EmailMessage) -> list[str]:
    ids = MESSAGE_ID.findall(_header(message, "In-Reply-To"))
    ids += reversed(MESSAGE_ID.findall(_header(message, "References")))
    return list(dict.fromkeys(ids))[:50]


def _leaves(part: EmailMessage) -> list[EmailMessage]:
    """The message's leaf parts; a forwarded message (message/rfc822) counts as one."""
    if part.get_content_maintype() == "multipart":
        return [leaf for sub in part.iter_parts() for leaf in _leaves(sub)]  # type: ignore[arg-type]
    return [part]


def _is_attachment(part: EmailMessage) -> bool:
    return (
        part.get_content_disposition() == "attachment"
        or part.get_filename() is not None
        or part.get_content_type() not in ("text/plain", "text/html")
    )


def _size(part: EmailMessage) -> int:
    if part.get_content_maintype() == "message":
        return len(part.as_bytes())
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else 0


def _attachments(message: EmailMessage) -> list[dict[str, Any]]:
    found = [
        {
            "name": (part.get_filename() or "")[:200],
            "type": part.get_content_type()[:100],
            "size": _size(part),
        }
        for part in _leaves(message)
        if _is_attachment(part)
    ]
    limit = settings.SUPPORT_MAX_ATTACHMENTS
    if len(found) > limit:
        raise Refused(
            f"The message has {len(found)} attachments; at most {limit} are accepted (and only "
            "their names are kept). Send the text alone.",
            552,
        )
    return found


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None or _is_attachment(part):  # type: ignore[arg-type]
        raise Refused("The message has no text part.", 554)
    try:
        content = part.get_content()
    except LookupError:  # an unknown charset: read it as UTF-8, replacing what does not fit
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else None
    if not isinstance(content, str):
        raise Refused("The message has no text part.", 554)
    text = html_text(content) if part.get_content_subtype() == "html" else content
    text = without_quoted_history(text.replace("\x00", "").replace("\r\n", "\n")).strip()
    if not text:
        raise Refused("The message's text is empty.", 554)
    return text


def html_text(markup: str) -> str:
    """The text of an HTML e-mail: tags removed (scripts and styles with their content),
    entities decoded, paragraphs and line breaks kept as new lines."""
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])\s*>", "\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set(), strip_comments=True))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def without_quoted_history(text: str) -> str:
    """The text without the quoted earlier messages a mail program appends under a reply
    ("On … wrote:" and what follows, or trailing "> " lines). Unchanged if nothing is left."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if QUOTE_INTRO.match(line):
            lines = lines[:index]
            break
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    kept = "\n".join(lines).strip()
    return kept or text
