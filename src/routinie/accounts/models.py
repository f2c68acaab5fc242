"""Accounts: the user (name, e-mail, password, time zone; nothing else personal), API tokens
and the server-side sessions that keep a browser signed in."""

import uuid
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (use an IANA name).")


def normalize_email(email: str) -> str:
    """E-mail addresses are compared without case: stored lowercased, unique on lower()."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalize_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The only personal fields are name, e-mail and password (P06)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # 0 = Monday … 6 = Sunday: where weeks start in reports.
    week_start = models.PositiveSmallIntegerField(default=0)
    # Set when the person opened the link we e-mailed; unconfirmed sign-ups are purged.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(default=now)
    password_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Hours a timer may run before the forgotten-timer banner and e-mail; 0 turns them off.
    forgotten_timer_hours = models.PositiveSmallIntegerField(default=8)
    # When the person last changed something (a write through the API or a page), to the
    # minute (`activity`): "stop the forgotten timer at the time I left". No IP, no agent.
    last_active_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    # Django's last_login is dropped: we do not keep a history of when people sign in.
    last_login = None

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = now()
        self.password_reminder_sent_at = None


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is kept; the secret is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.label


class UserSession(AbstractBaseSession):
    """Django's database session, plus what the "active sessions" list shows. No IP address,
    no full user agent: a coarse device name only (P08, P14)."""

    public_id = models.CharField(max_length=32, db_index=True, default="")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    device = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(null=True, blank=True)
    last_active = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expire_date"])]

    @classmethod
    def get_session_store_class(cls) -> type:
        from routinie.accounts.sessions import SessionStore

        return SessionStore


class PasswordResetToken(models.Model):
    """A password-reset link in flight. Only a SHA-256 of the secret is kept; the secret is only
    in the e-mail. One per account at most (a new request replaces it), deleted when used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_resets")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"password reset until {self.expires_at:%Y-%m-%d %H:%M}"


class TwoFactor(models.Model):
    """Two-factor sign-in (TOTP, RFC 6238: SHA-1, 6 digits, 30 s) of one account.

    A row with `enabled_at` empty is a set-up not confirmed yet: sign-in does not ask for a code
    until a code from the app confirms it. `last_used_step` is the last 30-second step whose code
    was accepted, so no code is accepted twice (a replay)."""

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=now)
    enabled_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return "two-factor sign-in" + (" (on)" if self.enabled_at else " (being set up)")


class RecoveryCode(models.Model):
    """A one-time recovery code of two-factor sign-in; only a keyed hash (HMAC-SHA256) is kept,
    and the row is deleted when the code is used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self) -> str:
        return "recovery code"
