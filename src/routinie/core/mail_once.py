"""Send e-mails so that a worker killed at any moment and run again sends each one once.

Over SMTP a message is delivered when the server answers the final "." of DATA. So for each
message we send the envelope and the whole content first, then record it in the database
(`record()` commits, and returns False when another worker already has), and only then send
the final ".". Killed before the record commits: the connection drops mid-DATA, the server
discards the message, and the next run sends it. Killed after: the message is recorded and the
"." is one write away. The only window left is between that commit and that write; the
Message-ID stays the same on a retry, so a receiving server can still tell.

On the console, file and in-memory backends (development, no SMTP) a message is recorded, then
sent.
"""

import functools
import re
import smtplib
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

CRLF = b"\r\n"
LEADING_DOT = re.compile(rb"(?m)^\.")
BARE_NEWLINE = re.compile(rb"\r\n|\r|\n")


@dataclass
class Outgoing:
    message: EmailMessage
    record: Callable[[], bool]  # commit "sent"; False: someone else already sent it
    unrecord: Callable[[], None]  # the server refused it after all: let a later run retry
    data: bytes | None = None  # the message as SMTP DATA, when prepared ahead (`Stamp`)


SIMPLE_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,40}")
SIMPLE_MESSAGE_ID = re.compile(r"<[A-Za-z0-9._%+=-]{1,60}@[A-Za-z0-9.-]{1,40}>")


class Stamp:
    """One message serialised once, for many people whose copies differ only in `To` and
    `Message-ID`: serialising (the `email` package folding every header) is most of the cost of
    a mass mailing. Works for plain short addresses and ids; for anything else `data_for` says
    None and the message is serialised whole."""

    TO = "to@stamp.invalid"
    ID = "<id@stamp.invalid>"

    def __init__(self, build: Callable[[str, str], EmailMessage]) -> None:
        data = _data(build(self.TO, self.ID))
        to_line, id_line = f"To: {self.TO}\r\n".encode(), f"Message-ID: {self.ID}\r\n".encode()
        usable = data.count(self.TO.encode()) == 1 and data.count(self.ID.encode()) == 1
        self._parts = (
            data.split(to_line) if usable and data.count(to_line) == 1 else None,
            id_line,
        )

    def data_for(self, address: str, message_id: str) -> bytes | None:
        parts, id_line = self._parts
        if parts is None:
            return None
        if not (SIMPLE_ADDRESS.fullmatch(address) and SIMPLE_MESSAGE_ID.fullmatch(message_id)):
            return None
        joined = f"To: {address}\r\n".encode().join(parts)
        return joined.replace(id_line, f"Message-ID: {message_id}\r\n".encode(), 1)


class SmtpRefused(Exception):
    """The SMTP server refused a message; it was not recorded as sent."""


def _data(message: EmailMessage) -> bytes:
    raw = BARE_NEWLINE.sub(CRLF, message.message().as_bytes())
    quoted = LEADING_DOT.sub(b"..", raw)
    return quoted if quoted.endswith(CRLF) else quoted + CRLF


@functools.lru_cache(maxsize=16)
def _sender(from_email: str, encoding: str) -> str:
    """The envelope sender (the same for a whole mailing: parsed once)."""
    return sanitize_address(from_email, encoding)


def _send_two_phase(smtp: smtplib.SMTP, item: Outgoing, encoding: str) -> bool:
    """True when sent; False when `record` said another worker had it (connection aborted)."""
    message = item.message
    sender = _sender(message.from_email, encoding)
    recipients = [
        address if SIMPLE_ADDRESS.fullmatch(address) else sanitize_address(address, encoding)
        for address in message.recipients()
    ]
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        raise SmtpRefused(f"MAIL FROM refused: {code}")
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise SmtpRefused(f"RCPT TO refused: {code}")
    code, reply = smtp.docmd("DATA")
    if code != 354:
        raise SmtpRefused(f"DATA refused: {code}")
    smtp.send(item.data if item.data is not None else _data(message))
    if not item.record():
        smtp.close()  # mid-DATA: the server discards the message
        return False
    smtp.send(b"." + CRLF)
    code, reply = smtp.getreply()
    if code != 250:
        item.unrecord()
        raise SmtpRefused(f"message refused after DATA: {code} {reply!r}")
    return True


def _open(backend: SmtpBackend) -> None:
    """Open the connection with Nagle's algorithm off: the two-step DATA is two small writes,
    and waiting for the server's delayed acknowledgement would cost ~40 ms a message."""
    backend.open()
    sock = getattr(backend.connection, "sock", None)
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def send_each_once(
    items: Iterable[Outgoing], on_refused: Callable[[Outgoing, SmtpRefused], None] | None = None
) -> int:
    """Send every message not already recorded; returns how many this call sent. A message
    the SMTP server refuses (one bad address) raises SmtpRefused, or, with `on_refused`, is
    handed to it unrecorded and the others are sent (a mailing to every account)."""
    backend = get_connection()
    sent = 0
    if not isinstance(backend, SmtpBackend):
        for item in items:
            if item.record():
                backend.send_messages([item.message])
                sent += 1
        return sent
    try:
        for item in items:
            if backend.connection is None:
                _open(backend)
            assert backend.connection is not None
            encoding = item.message.encoding or "utf-8"
            try:
                done = _send_two_phase(backend.connection, item, encoding)
            except SmtpRefused as refused:
                if on_refused is None:
                    raise
                on_refused(item, refused)
                backend.close()  # a clean session for the next message
                continue
            if done:
                sent += 1
            else:
                backend.connection = None
    finally:
        backend.close()
    return sent
