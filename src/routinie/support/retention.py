"""The support app's deadlines for the purge job (see privacy/retention.py).

Conversations are kept for later reference (P07), then go (P20): a closed one
SUPPORT_CLOSED_RETENTION_DAYS (default 365) after it was closed, with all its messages. A year
covers the questions that come back (a yearly renewal, a follow-up months later) without
keeping the rest for ever. A conversation with someone who has no account has nobody to close
it or to delete it with an account, so it also goes that long after its last message, open or
not. An account's open conversation stays while the account does (the person can close it).
Writing again reopens a conversation and its clock starts over.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from routinie.core.data_rules import RetentionRule
from routinie.support.models import Conversation


def expired_conversations(now: datetime) -> QuerySet[Conversation]:
    limit = now - timedelta(days=settings.SUPPORT_CLOSED_RETENTION_DAYS)
    return Conversation.objects.filter(
        Q(status=Conversation.Status.CLOSED, closed_at__lt=limit)
        | Q(user__isnull=True, last_message_at__lt=limit)
    )


RULES: list[RetentionRule] = [
    RetentionRule("closed support conversations", expired_conversations),
]
