"""`routinie mail-in` (or `mail_in`): store one e-mail read from standard input, as a mail
server's pipe transport delivers it. Exit 0 when stored (or already stored); otherwise a
message on stderr and a sysexits code the mail server understands: 65 (refused: it bounces
the message with our reason) or 75 (the database is unavailable: it tries again later)."""

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from routinie.support.inbound import Refused
from routinie.support.receiving import receive_email

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one RFC 5322 e-mail read from standard input in the support inbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sender",
            default=None,
            help="the envelope sender, if the mail server passes it (empty: a bounce)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One byte more than the limit is enough to know the message is too large.
        raw = sys.stdin.buffer.read(settings.SUPPORT_MAX_MESSAGE_BYTES + 1)
        try:
            received = receive_email(raw, envelope_sender=options["sender"])
        except Refused as refused:
            self.stderr.write(f"mail-in: refused: {refused.reason}")
            sys.exit(EX_DATAERR)
        except DatabaseError as error:
            self.stderr.write(f"mail-in: temporary failure ({type(error).__name__}); retry")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"mail-in: {received.describe()}")
