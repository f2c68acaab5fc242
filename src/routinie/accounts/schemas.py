from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictInt

from routinie.core.schemas import Input, SafeStr


class SignUpIn(Input):
    name: SafeStr = Field(min_length=1, max_length=1000)
    email: SafeStr = Field(min_length=1, max_length=1000)
    password: SafeStr = Field(min_length=1, max_length=4096)
    accept_policy_version: StrictInt
    timezone: SafeStr = Field(default="UTC", max_length=64)


class SignUpOut(Schema):
    id: UUID
    name: str
    email: str


class TokenCreateIn(Input):
    email: SafeStr = Field(max_length=1000)
    password: SafeStr = Field(max_length=4096)
    label: SafeStr = Field(max_length=1000)
    otp: SafeStr | None = Field(
        default=None,
        max_length=40,
        description="With two-factor sign-in on: a current code or an unused recovery code.",
    )


class TokenCreatedOut(Schema):
    id: UUID
    label: str
    token: str


class TokenOut(Schema):
    id: UUID
    label: str
    created_at: datetime
    last_used_at: datetime | None


class TokenList(Schema):
    items: list[TokenOut]


class MeOut(Schema):
    id: UUID
    name: str
    email: str
    timezone: str
    week_start: int
    password_changed_at: datetime
    policy_version_accepted: int | None
    forgotten_timer_hours: int = Field(
        description="Hours a timer may run before the forgotten-timer banner and e-mail; 0: off."
    )


class MePatch(Input):
    name: SafeStr | None = Field(default=None, max_length=1000)
    email: SafeStr | None = Field(default=None, max_length=1000)
    timezone: SafeStr | None = Field(default=None, max_length=64)
    week_start: StrictInt | None = None
    forgotten_timer_hours: StrictInt | None = Field(
        default=None, description="0 (off) to 168; the reminder's threshold in whole hours."
    )
    current_password: SafeStr | None = Field(default=None, max_length=4096)


class PasswordChangeIn(Input):
    current_password: SafeStr = Field(max_length=4096)
    new_password: SafeStr = Field(max_length=4096)


class SessionOut(Schema):
    id: str
    device: str
    last_active: datetime | None
    current: bool


class SessionList(Schema):
    items: list[SessionOut]


class RevokedOut(Schema):
    revoked: int


class PasswordResetIn(Input):
    email: SafeStr = Field(max_length=1000)


class PasswordResetAccepted(Schema):
    detail: str


class PasswordResetConfirmIn(Input):
    token: SafeStr = Field(max_length=200)
    new_password: SafeStr = Field(max_length=4096)


class TwoFactorBeginIn(Input):
    password: SafeStr = Field(max_length=4096)


class TwoFactorSetupOut(Schema):
    secret: str = Field(description="Base32; TOTP (RFC 6238): SHA-1, 6 digits, 30 seconds.")
    otpauth_uri: str


class TwoFactorConfirmIn(Input):
    code: SafeStr = Field(max_length=40)


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(description="Ten codes, each usable once; shown this once.")


class TwoFactorOffIn(Input):
    password: SafeStr = Field(max_length=4096)
    code: SafeStr = Field(max_length=40)
