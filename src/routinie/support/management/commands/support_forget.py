"""`routinie support_forget ADDRESS`: erase the support conversations of someone without an
account (their right to erasure, asked by e-mail). An account's conversations go with the
account (`DELETE /api/v1/me`), not with this command."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routinie.core.errors import InvalidInput
from routinie.support.services import erase_sender_conversations


class Command(BaseCommand):
    help = "Delete every support conversation kept for this sender address (no account)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = erase_sender_conversations(email=options["address"])
        except InvalidInput as error:
            raise CommandError(error.detail) from None
        self.stdout.write(f"support_forget: deleted {count} conversation(s)")
