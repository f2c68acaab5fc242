"""The accounts app's deadlines for the purge job (see privacy/retention.py): sign-ups never
confirmed (accounts/confirmation.py) and expired sessions. An account's export archives go
with it through privacy's deletion hook (privacy/signals.py), whoever deletes it."""

from datetime import datetime

from django.db.models import QuerySet

from routinie.accounts.confirmation import unconfirmed_sign_ups
from routinie.accounts.models import UserSession
from routinie.core.data_rules import RetentionRule


def expired_sessions(now: datetime) -> QuerySet[UserSession]:
    return UserSession.objects.filter(expire_date__lt=now)


RULES: list[RetentionRule] = [
    RetentionRule("sign-ups never confirmed", unconfirmed_sign_ups),
    RetentionRule("expired sessions", expired_sessions),
]
