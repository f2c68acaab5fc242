"""The accounts app's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.core.data_rules import (
    ACCOUNT,
    KEY,
    LINK,
    SECURITY,
    SESSION_RETENTION,
    SETTINGS,
    USAGE,
    Rule,
    Table,
    not_personal,
    secret,
)

SESSIONS_KEPT = SESSION_RETENTION + "; 30 days from sign-in if you chose to stay signed in"
TWO_FACTOR_KEPT = (
    "until you turn two-factor sign-in off, or with the account; a set-up never confirmed, 1 day"
)
RECOVERY_KEPT = "until used, replaced by new codes, or two-factor sign-in is turned off"
RESET_RETENTION = "until used, replaced by a newer link, or 1 hour after it was sent"

TABLES: list[Table] = [
    Table(
        "accounts.User",
        "your account",
        "pk",
        {
            "id": KEY,
            "name": Rule(ACCOUNT, "to address you in the app and in e-mails"),
            "email": Rule(ACCOUNT, "to sign you in and to write to you (reminders, notices)"),
            "password": secret(
                SECURITY, "to check your password: an Argon2id hash, never the password"
            ),
            "email_confirmed_at": Rule(
                ACCOUNT, "to know the address is yours; unconfirmed sign-ups are deleted"
            ),
            "timezone": Rule(SETTINGS, "so your days and weeks start when yours do"),
            "week_start": Rule(SETTINGS, "the first day of your week in reports"),
            "password_changed_at": Rule(SECURITY, "to remind you when your password gets old"),
            "password_reminder_sent_at": Rule(SECURITY, "to send that reminder once per period"),
            "forgotten_timer_hours": Rule(
                SETTINGS, "after how many hours a running timer counts as forgotten (0: never)"
            ),
            "last_active_at": Rule(
                USAGE,
                "when you last changed something (to the minute; no address, no device): to "
                "stop a forgotten timer at the time you left; overwritten by each later change, "
                "neither kept nor recorded while that reminder is off",
            ),
            "created_at": Rule(ACCOUNT, "to know how old the account is (unconfirmed sign-ups)"),
            "is_active": not_personal("whether the account may sign in"),
            "is_staff": not_personal("whether the account belongs to Wesrom's staff"),
            "is_superuser": not_personal("whether a staff account has every permission"),
            "groups": not_personal("staff permission groups"),
            "user_permissions": not_personal("staff permissions"),
        },
    ),
    Table(
        "accounts.User_groups",
        "staff permission groups of an account",
        "user",
        {"id": KEY, "user": LINK, "group": LINK},
    ),
    Table(
        "accounts.User_user_permissions",
        "staff permissions of an account",
        "user",
        {"id": KEY, "user": LINK, "permission": LINK},
    ),
    Table(
        "accounts.ApiToken",
        "your personal API tokens",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "label": Rule(SECURITY, "so you can tell your tokens apart"),
            "token_hash": secret(SECURITY, "to check a token: a SHA-256 hash, never the token"),
            "created_at": Rule(SECURITY, "shown in your token list"),
            "last_used_at": Rule(
                USAGE, "so you can spot a token you no longer use (to the minute)"
            ),
        },
    ),
    Table(
        "accounts.PasswordResetToken",
        "a password-reset link you asked for, while it is valid",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "token_hash": secret(
                SECURITY,
                "to check the link from the e-mail: a SHA-256 hash, never the link",
                RESET_RETENTION,
            ),
            "created_at": Rule(
                SECURITY, "a password change after it makes the link void", RESET_RETENTION
            ),
            "expires_at": Rule(SECURITY, "the link works for 1 hour", RESET_RETENTION),
        },
    ),
    Table(
        "accounts.UserSession",
        "the sessions that keep a browser signed in",
        "user",
        {
            "session_key": secret(SECURITY, "the secret in the session cookie", SESSIONS_KEPT),
            "session_data": secret(
                SECURITY, "who is signed in, and the session's clocks", SESSIONS_KEPT
            ),
            "expire_date": Rule(SECURITY, "when the session dies", SESSIONS_KEPT),
            "public_id": Rule(SECURITY, "names a session in your sessions list", SESSIONS_KEPT),
            "user": LINK,
            "device": Rule(
                USAGE,
                "a rough device name for your sessions list; no IP address",
                SESSIONS_KEPT,
            ),
            "created_at": Rule(USAGE, "when the session began", SESSIONS_KEPT),
            "last_active": Rule(
                USAGE, "last activity, to the minute, for the idle timeout", SESSIONS_KEPT
            ),
        },
    ),
    Table(
        "accounts.TwoFactor",
        "two-factor sign-in, when you turned it on",
        "user",
        {
            "user": LINK,
            "secret": secret(
                SECURITY,
                "to check the codes of your authenticator app; never shown again or exported",
                TWO_FACTOR_KEPT,
            ),
            "created_at": Rule(SECURITY, "when you began to set it up", TWO_FACTOR_KEPT),
            "enabled_at": Rule(SECURITY, "when you turned it on", TWO_FACTOR_KEPT),
            "last_used_step": Rule(
                SECURITY, "the time of the last code used, so no code works twice", TWO_FACTOR_KEPT
            ),
        },
    ),
    Table(
        "accounts.RecoveryCode",
        "the one-time recovery codes of two-factor sign-in",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "code_hash": secret(
                SECURITY,
                "to check a recovery code: a keyed hash (HMAC-SHA256), never the code",
                RECOVERY_KEPT,
            ),
            "created_at": Rule(SECURITY, "when the codes were made", RECOVERY_KEPT),
        },
    ),
]
