"""Reads of account data, always scoped to their owner (P12)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from routinie.accounts.models import ApiToken, User, UserSession

# A token's last use is recorded to the minute: one write a minute at most per token.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None; notes when the token was used.

    Every API request asks this, so it is one indexed lookup written once in SQL (the ORM spent
    longer building the query than the database answering it): the user's columns, the token's
    id, and whether its last use is older than TOKEN_USE_RESOLUTION (then one UPDATE)."""
    if not secret or len(secret) > 200:
        return None
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - TOKEN_USE_RESOLUTION)
    found = list(User.objects.raw(_token_sql(), [stale_before, hash_token(secret), True]))
    if not found:
        return None
    user = found[0]
    if user.token_stale:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)  # type: ignore[attr-defined]
    return user


def _token_sql() -> str:
    quote = connection.ops.quote_name
    users, tokens = User._meta, ApiToken._meta
    columns = ", ".join(f"u.{quote(str(field.column))}" for field in users.concrete_fields)
    last_used = f"t.{quote('last_used_at')}"
    # Names from the models, every value a parameter:
    return (
        f"SELECT {columns}, t.{quote('id')} AS token_id,"  # noqa: S608
        f" CASE WHEN {last_used} IS NULL OR {last_used} < %s THEN 1 ELSE 0 END AS token_stale"
        f" FROM {quote(tokens.db_table)} t"
        f" INNER JOIN {quote(users.db_table)} u ON u.{quote('id')} = t.{quote('user_id')}"
        f" WHERE t.{quote('token_hash')} = %s AND u.{quote('is_active')} = %s"
    )


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
