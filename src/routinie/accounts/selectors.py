"""Reads of account data, always scoped to their owner (P12)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from routinie.accounts.models import ApiToken, User, UserSession

# A token's last use is recorded to the minute: one write a minute at most per token.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None; notes when the token was used."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def sessions_of(user: User) -> QuerySet[UserSession]:
    """The user's live sessions, most recently active first."""
    return UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).order_by(
        "-last_active"
    )


def password_is_old(user: User) -> bool:
    """True when the password is older than PASSWORD_REMINDER_DAYS (a reminder, never forced)."""
    age = timezone.now() - user.password_changed_at
    return age > timedelta(days=settings.PASSWORD_REMINDER_DAYS)


def email_in_use(email: str, *, except_user: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return users.exists()
