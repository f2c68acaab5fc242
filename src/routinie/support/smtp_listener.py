"""A small SMTP listener for the support address (`routinie smtpd`): what a mail server or a
test delivers to it goes through the same `receive_email` as `routinie mail-in`.

It accepts mail only for SUPPORT_EMAIL (550 for any other recipient), answers a refusal with
its SMTP code and reason (5xx: the sending server bounces it to the sender with the reason),
and a database that cannot be reached with 451 (the sending server tries again later). It
speaks plain SMTP without authentication: run it on the loopback behind your mail server.
"""

import asyncio
import logging
from email.utils import parseaddr
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from routinie.support.inbound import Refused
from routinie.support.receiving import receive_email

logger = logging.getLogger(__name__)


def _one_line(text: str) -> str:
    return " ".join(text.encode("ascii", "replace").decode("ascii").split())


def deliver(raw: bytes, envelope_sender: str | None) -> str:
    """Store one message; the SMTP answer to its DATA."""
    close_old_connections()
    try:
        received = receive_email(raw, envelope_sender=envelope_sender)
    except Refused as refused:
        return f"{refused.smtp_code} {_one_line(refused.reason)}"
    except DatabaseError:
        logger.exception("support mail could not be stored; the sender will retry")
        return "451 4.3.0 Temporary failure: try again later"
    except Exception:
        logger.exception("support mail could not be stored (unexpected error)")
        return "451 4.3.0 Temporary failure: try again later"
    finally:
        close_old_connections()
    return f"250 2.0.0 {_one_line(received.describe())}"


class SupportMailbox:
    """The aiosmtpd handler: one mailbox, the support address."""

    def __init__(self, address: str) -> None:
        self.address = address.strip().lower()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.strip().lower() != self.address:
            return f"550 5.1.1 No such mailbox here: only {self.address} receives mail"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or b""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, deliver, raw, envelope.mail_from)


def support_address() -> str:
    return parseaddr(settings.SUPPORT_EMAIL)[1]


def support_listener(*, host: str, port: int) -> Controller:
    """A listener on host:port for the support address; call `.start()` and `.stop()`."""
    return Controller(
        SupportMailbox(support_address()),
        hostname=host,
        port=port,
        # Over the limit, aiosmtpd refuses the DATA itself (552); the store checks it too.
        data_size_limit=settings.SUPPORT_MAX_MESSAGE_BYTES,
        enable_SMTPUTF8=True,
        ident="Routinie support",
    )
