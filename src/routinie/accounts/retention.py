"""The accounts app's deadlines for the purge job (see privacy/retention.py): sign-ups never
confirmed (accounts/confirmation.py), expired sessions, expired password-reset links and
two-factor set-ups never confirmed. An account's export archives go with it through privacy's
deletion hook (privacy/signals.py)."""

from datetime import datetime

from django.db.models import QuerySet

from routinie.accounts.confirmation import unconfirmed_sign_ups
from routinie.accounts.models import UserSession
from routinie.accounts.password_reset import expired_links
from routinie.accounts.two_factor import unconfirmed_setups
from routinie.core.data_rules import RetentionRule


def expired_sessions(now: datetime) -> QuerySet[UserSession]:
    return UserSession.objects.filter(expire_date__lt=now)


RULES: list[RetentionRule] = [
    RetentionRule("sign-ups never confirmed", unconfirmed_sign_ups),
    RetentionRule("expired sessions", expired_sessions),
    RetentionRule("expired password-reset links", expired_links),
    RetentionRule("two-factor set-ups never confirmed", unconfirmed_setups),
]
