"""The tracking app's deadline for the purge job (see privacy/retention.py): a sent-reminder
record (which only keeps a reminder from going twice the same day) goes after 30 days."""

from datetime import timedelta

from routinie.core.data_rules import RetentionRule
from routinie.tracking.models import SentReminder

SENT_REMINDERS_KEPT = timedelta(days=30)

RULES: list[RetentionRule] = [
    RetentionRule(
        "sent-reminder records",
        lambda now: SentReminder.objects.filter(sent_at__lt=now - SENT_REMINDERS_KEPT),
    ),
]
