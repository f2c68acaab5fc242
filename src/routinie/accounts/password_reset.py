"""Password reset by e-mail: a link valid 1 hour, usable once.

Asking answers the same whoever asks: the request only queues a task, with the account's id or
nothing, and the task makes the link and sends it. Only a SHA-256 of the link's secret is kept.
A new request replaces an older link; a password change, however made, makes every link void
(a link older than the password is refused). Using a link ends every session of the account.

Token problems are 400 (code `invalid`: unknown, used, replaced or voided; code `expired`: past
its hour); a password that breaks a rule is 422, naming the rule, like everywhere else.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from routinie.accounts import throttling
from routinie.accounts.models import PasswordResetToken, User, UserSession, normalize_email
from routinie.accounts.selectors import hash_token
from routinie.core.errors import DomainError, FieldError, RateLimited

LINK_VALID = timedelta(hours=1)
SECRET_PREFIX = "pr_"
REQUESTED = (
    "If an account uses this address, we sent it a link to choose a new password. "
    "The link works for 1 hour."
)


class BadResetLink(DomainError):
    """The link cannot be used (HTTP 400); `errors` says whether it is invalid or expired."""

    status = 400


def _bad(message: str, code: str) -> BadResetLink:
    return BadResetLink(message, [FieldError("token", message, code)])


def request_reset(*, email: str, client: str) -> None:
    """Queue the reset e-mail when `email` has an active account; throttled per client and per
    address (both only as keyed hashes). Raises RateLimited, and otherwise says nothing."""
    address = normalize_email(email)[:254]
    per_client, per_address = throttling.reset_per_client(), throttling.reset_per_address()
    client_slot = per_client.take(client)
    try:
        per_address.take(address)
    except RateLimited:
        client_slot.give_back()  # refused for the address: the client's attempt does not count
        raise
    user = User.objects.filter(email=address, is_active=True).only("pk").first()
    from routinie.accounts.tasks import send_password_reset

    user_id = str(user.pk) if user is not None else ""
    transaction.on_commit(lambda: send_password_reset.enqueue(user_id))


def issue_link(user: User) -> str:
    """A new link's path for `user`; every older link of theirs stops working."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        PasswordResetToken.objects.filter(user=user).delete()
        PasswordResetToken.objects.create(
            user=user, token_hash=hash_token(secret), created_at=now, expires_at=now + LINK_VALID
        )
    return f"/password-reset/{secret}/"


def send_reset_email(user_id: str, *, task_id: Any) -> bool:
    """The task's work: make a link and e-mail it, once per run of the task (`task_id`: a run
    again after its worker died neither sends a second e-mail nor replaces the link). False
    when there is no such account, or the e-mail was already sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return False
    from routinie.core.mail import build_templated_mail
    from routinie.core.task_mail import send_once_per_run

    return send_once_per_run(
        task_id,
        lambda: build_templated_mail(
            to=user.email,
            template="accounts/email/password_reset",
            context={"user": user, "path": issue_link(user), "site_url": settings.SITE_URL},
        ),
    )


def valid_link(secret: str) -> PasswordResetToken:
    """The reset this secret opens; BadResetLink when it is unknown, used, void or expired."""
    row = (
        PasswordResetToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret[:200]), user__is_active=True)
        .first()
    )
    if row is None or row.created_at < row.user.password_changed_at:
        raise _bad(
            "This link is not valid: it was already used, or a newer link replaced it. "
            "Ask for a new one.",
            "invalid",
        )
    if row.expires_at <= timezone.now():
        raise _bad("This link has expired (links work for 1 hour). Ask for a new one.", "expired")
    return row


def reset_password(*, secret: str, new_password: str) -> User:
    """Set a new password through the link, once; every session of the account ends."""
    from routinie.accounts.services import check_password_rules

    row = valid_link(secret)
    user = row.user
    check_password_rules(new_password, user)
    with transaction.atomic():
        if not PasswordResetToken.objects.filter(pk=row.pk).delete()[0]:
            raise _bad("This link was just used. Ask for a new one.", "invalid")
        user.set_password(new_password)
        user.save(update_fields=["password", "password_changed_at", "password_reminder_sent_at"])
        UserSession.objects.filter(user=user).delete()
    return user


def expired_links(now: object) -> QuerySet[PasswordResetToken]:
    return PasswordResetToken.objects.filter(expires_at__lt=now)
