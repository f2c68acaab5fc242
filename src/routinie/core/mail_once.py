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


class SmtpRefused(Exception):
    """The SMTP server refused a message; it was not recorded as sent."""


def _data(message: EmailMessage) -> bytes:
    raw = BARE_NEWLINE.sub(CRLF, message.message().as_bytes())
    quoted = LEADING_DOT.sub(b"..", raw)
    return quoted if quoted.endswith(CRLF) else quoted + CRLF


def _send_two_phase(smtp: smtplib.SMTP, item: Outgoing, encoding: str) -> bool:
    """True when sent; False when `record` said another worker had it (connection aborted)."""
    message = item.message
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
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
    smtp.send(_data(message))
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


def send_each_once(items: Iterable[Outgoing]) -> int:
    """Send every message not already recorded; returns how many this call sent."""
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
            if _send_two_phase(backend.connection, item, encoding):
                sent += 1
            else:
                backend.connection = None
    finally:
        backend.close()
    return sent
