"""Core's deadline for the purge (P20): a task's sent-mail record goes a week after it was
sent, as finished tasks do (a task is only ever run again within minutes)."""

from datetime import timedelta

from routinie.core.data_rules import RetentionRule
from routinie.core.models import TaskMail

KEPT = timedelta(days=7)

RULES: list[RetentionRule] = [
    RetentionRule(
        "sent-mail records of background tasks",
        lambda now: TaskMail.objects.filter(sent_at__lt=now - KEPT),
    ),
]
