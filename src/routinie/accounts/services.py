"""Account actions: sign-up, sign-in and out, profile, password, sessions and API tokens.

Each is a plain function that pages, the API and commands all call. Each raises one of
`routinie.core.errors` when the input breaks a rule, and then changes nothing.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import (
    authenticate,
    login,
    logout,
    password_validation,
    update_session_auth_hash,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from routinie.accounts import throttling
from routinie.accounts.confirmation import request_confirmation
from routinie.accounts.models import ApiToken, User, UserSession, normalize_email, validate_timezone
from routinie.accounts.policy_terms import policy_terms
from routinie.accounts.selectors import email_in_use, hash_token, password_is_old
from routinie.accounts.sessions import mark_shared_computer, remember_device
from routinie.accounts.signals import account_created
from routinie.core.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
)
from routinie.core.throttling import client_address

TOKEN_PREFIX = "rt_"


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput.on("name", "Please enter your name.", "required")
    if len(name) > 150:
        raise InvalidInput.on("name", "A name can be at most 150 characters long.", "max_length")
    return name


def _check_email(email: str, *, except_user: User | None = None) -> str:
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.on("email", "Please enter a valid e-mail address.") from None
    if len(email) > 254:
        raise InvalidInput.on("email", "An e-mail address can be at most 254 characters long.")
    if email_in_use(email, except_user=except_user):
        raise Conflict(
            "This e-mail address already has an account.",
            [FieldError("email", "This e-mail address already has an account.", "email_taken")],
        )
    return email


def _check_timezone(tz: str) -> str:
    try:
        validate_timezone(tz)
    except ValidationError:
        raise InvalidInput.on(
            "timezone", f"{tz!r} is not a known time zone; use a name like Europe/Bucharest."
        ) from None
    return tz


def check_password_rules(password: str, user: User) -> None:
    """Raise InvalidInput naming every password rule that `password` breaks (P13)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors = [
            FieldError("password", str(e.message % (e.params or {})), e.code or "invalid")
            for e in exc.error_list
        ]
        raise InvalidInput(errors[0].message, errors) from None


def sign_up(
    *,
    name: str,
    email: str,
    password: str,
    accept_policy_version: int,
    timezone_name: str = "UTC",
) -> User:
    """Create an account with exactly a name, an e-mail address and a password (P06)."""
    user = User(
        name=_check_name(name),
        email=_check_email(email),
        timezone=_check_timezone(timezone_name or "UTC"),
    )
    check_password_rules(password, user)
    try:
        with transaction.atomic():
            user.set_password(password)
            user.save()
            policy_terms().record_acceptance(user=user, version=accept_policy_version)
            request_confirmation(user)
            transaction.on_commit(lambda: account_created.send(sender=User, user=user))
    except IntegrityError:  # a concurrent sign-up took the address between check and insert
        raise Conflict(
            "This e-mail address already has an account.",
            [FieldError("email", "This e-mail address already has an account.", "email_taken")],
        ) from None
    return user


def check_credentials(*, request: HttpRequest, email: str, password: str) -> User:
    """The user these credentials belong to; throttled per account and per client (P12).

    Every way in (the sign-in page, the API's token creation, the admin's login) comes here, so
    an account has one counter whatever the door. Each attempt takes a slot before the password
    is checked; a right password gives them back."""
    account = normalize_email(email)
    client = client_address(request)
    per_account, per_client = throttling.sign_in_per_account(), throttling.sign_in_per_client()
    client_slot = per_client.take(client)
    try:
        per_account.take(account)
    except RateLimited:
        client_slot.give_back()  # refused for the account: counted against the account alone
        raise
    user = authenticate(request, username=account, password=password)
    if not isinstance(user, User):
        raise NotAuthenticated("The e-mail address or the password is wrong.")
    per_account.reset(account)
    client_slot.give_back()
    return user


def sign_in(
    *, request: HttpRequest, user: User, shared_computer: bool = False, remember: bool = False
) -> None:
    """Start a browser session for `user`; a shared computer gets a short idle timeout (P14);
    "stay signed in" (never on a shared computer) makes it last 30 days."""
    login(request, user)
    if shared_computer:
        mark_shared_computer(request)
    elif remember:
        remember_device(request)
    if password_is_old(user):
        from routinie.accounts.tasks import send_password_reminder

        user_id = str(user.pk)
        transaction.on_commit(lambda: send_password_reminder.enqueue(user_id))


def sign_out(*, request: HttpRequest) -> None:
    """End this session: the server-side row is deleted, so a replayed cookie is dead (P14)."""
    logout(request)


MAX_FORGOTTEN_TIMER_HOURS = 168


def check_forgotten_timer_hours(hours: int) -> int:
    """Whole hours from 0 (the reminder off) to a week."""
    if not 0 <= hours <= MAX_FORGOTTEN_TIMER_HOURS:
        raise InvalidInput.on(
            "forgotten_timer_hours",
            f"Choose whole hours from 0 (off) to {MAX_FORGOTTEN_TIMER_HOURS}.",
            "out_of_range",
        )
    return hours


def update_profile(
    *,
    user: User,
    name: str | None = None,
    email: str | None = None,
    timezone_name: str | None = None,
    week_start: int | None = None,
    forgotten_timer_hours: int | None = None,
    current_password: str | None = None,
) -> User:
    """Change name, e-mail address, time zone, week start or the forgotten-timer threshold; a
    new address needs the password."""
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = _check_name(name)
    if email is not None and normalize_email(email) != user.email:
        if not current_password or not user.check_password(current_password):
            raise InvalidInput.on(
                "current_password",
                "To change your e-mail address, enter your current password.",
                "password_required",
            )
        changes["email"] = _check_email(email, except_user=user)
    if timezone_name is not None:
        changes["timezone"] = _check_timezone(timezone_name)
    if week_start is not None:
        if week_start not in range(7):
            raise InvalidInput.on(
                "week_start", "The week starts on a day from 0 (Monday) to 6 (Sunday)."
            )
        changes["week_start"] = week_start
    if forgotten_timer_hours is not None:
        changes["forgotten_timer_hours"] = check_forgotten_timer_hours(forgotten_timer_hours)
        if forgotten_timer_hours == 0:
            changes["last_active_at"] = None  # it served only the reminder: not kept without it
    fields = list(changes)
    for field, value in changes.items():
        setattr(user, field, value)
    if "email" in changes:
        user.email_confirmed_at = None
        fields.append("email_confirmed_at")
    if fields:
        with transaction.atomic():
            user.save(update_fields=fields)
            if "email" in changes:
                request_confirmation(user)
    return user


def change_password(
    *, user: User, current_password: str, new_password: str, request: HttpRequest | None = None
) -> None:
    """Set a new password and end every other session of this user (P13, P14)."""
    if not user.check_password(current_password):
        raise InvalidInput.on(
            "current_password", "Your current password is not right.", "wrong_password"
        )
    check_password_rules(new_password, user)
    keep = _current_session_key(request)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "password_changed_at", "password_reminder_sent_at"])
        UserSession.objects.filter(user=user).exclude(session_key=keep or "").delete()
    if request is not None and keep:
        update_session_auth_hash(request, user)


def _current_session_key(request: HttpRequest | None) -> str | None:
    if request is None or not hasattr(request, "session"):
        return None
    if getattr(request, "auth_via_token", False):
        return None
    return request.session.session_key


def revoke_other_sessions(*, user: User, request: HttpRequest | None) -> int:
    """Sign out every session of `user` but the one making this request."""
    keep = _current_session_key(request)
    deleted, _ = UserSession.objects.filter(user=user).exclude(session_key=keep or "").delete()
    return deleted


def revoke_session(*, user: User, public_id: str) -> None:
    deleted, _ = UserSession.objects.filter(user=user, public_id=public_id).delete()
    if not deleted:
        raise NotFound("No such session.")


def create_api_token(*, user: User, label: str) -> tuple[ApiToken, str]:
    """A new personal API token; the secret is returned this once and stored only as a hash."""
    label = label.strip()
    if not label:
        raise InvalidInput.on("label", "Please give the token a label, e.g. 'laptop script'.")
    if len(label) > 100:
        raise InvalidInput.on("label", "A label can be at most 100 characters long.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, label=label, token_hash=hash_token(secret))
    return token, secret


def revoke_api_token(*, user: User, token_id: str) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")


def send_password_reminder_email(*, user: User) -> bool:
    """E-mail `user` once per reminder period that their password is old. True when sent.

    Sent through `mail_once`: the reminder is claimed (a conditional update of
    `password_reminder_sent_at`) as it is sent, so two workers never send it twice, and a
    worker killed before the claim leaves it for the next run; a refusal gives the claim back."""
    from routinie.core.mail import build_templated_mail
    from routinie.core.mail_once import Outgoing, send_each_once

    now = timezone.now()
    period = timedelta(days=settings.PASSWORD_REMINDER_DAYS)
    if not password_is_old(user):
        return False
    previous = user.password_reminder_sent_at
    claimed_here = False

    def claim() -> bool:
        nonlocal claimed_here
        due = User.objects.filter(pk=user.pk).exclude(password_reminder_sent_at__gt=now - period)
        claimed_here = due.update(password_reminder_sent_at=now) == 1
        return claimed_here

    def release() -> None:
        User.objects.filter(pk=user.pk, password_reminder_sent_at=now).update(
            password_reminder_sent_at=previous
        )

    message = build_templated_mail(
        to=user.email,
        template="accounts/email/password_reminder",
        context={"user": user, "days": settings.PASSWORD_REMINDER_DAYS},
    )
    try:
        return send_each_once([Outgoing(message, claim, release)]) == 1
    except Exception:
        if claimed_here:  # claimed, then the connection failed before delivery
            release()
        raise
