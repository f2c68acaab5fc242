"""`routinie smtpd --port N [--host 127.0.0.1]`: an SMTP listener for the support address that
stores what it receives like `routinie mail-in` (see support/smtp_listener.py)."""

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from routinie.support.smtp_listener import support_listener


class Command(BaseCommand):
    help = "Listen for SMTP mail to the support address and store it in the support inbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # no per-connection lines
        listener = support_listener(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        listener.start()
        self.stdout.write(
            f"smtpd: accepting mail for the support address (SUPPORT_EMAIL) on "
            f"{options['host']}:{options['port']} (Ctrl-C stops)"
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            listener.stop()
            self.stdout.write("smtpd: stopped")
