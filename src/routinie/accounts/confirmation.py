"""E-mail confirmation: a signed link proves the address belongs to the person who signed up.
Sign-ups never confirmed are deleted after UNCONFIRMED_SIGNUP_DAYS by the retention purge.

The link is opaque (P08): its token names the account and a keyed hash of the address to
confirm, never the address itself, so an access log or a "Bad Request" warning that records the
path records no address (older links, which carried it as base64, no longer work)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput

SALT = "routinie.email-confirmation.v2"
LINK_VALID = timedelta(days=30)


def _address_digest(email: str) -> str:
    """A keyed hash of the address: the link confirms this address and no later one."""
    return salted_hmac(SALT, email, algorithm="sha256").hexdigest()[:32]


def confirmation_token(user: User) -> str:
    """A signed token naming the user and a keyed hash of the address to confirm (no secret in
    the database, no address in the link)."""
    return signing.dumps({"u": str(user.pk), "a": _address_digest(user.email)}, salt=SALT)


def confirm_email(token: str) -> User:
    """Mark the address in `token` confirmed; InvalidInput when the link is bad or stale."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALID)
    except signing.SignatureExpired:
        raise InvalidInput.on(
            "token", "This link has expired; ask for a new one.", "expired"
        ) from None
    except signing.BadSignature:
        raise InvalidInput.on("token", "This link is not valid.", "invalid") from None
    user_id = data.get("u") if isinstance(data, dict) else None  # signed: ours, a UUID
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, str) else None
    if user is None or not constant_time_compare(
        str(data.get("a", "")), _address_digest(user.email)
    ):
        raise InvalidInput.on(
            "token", "This link is for an address that is no longer on an account."
        )
    if user.email_confirmed_at is None:
        User.objects.filter(pk=user.pk).update(email_confirmed_at=timezone.now())
        user.refresh_from_db()
    return user


def request_confirmation(user: User) -> None:
    """Queue the confirmation e-mail (after the surrounding transaction commits)."""
    from routinie.accounts.tasks import send_email_confirmation

    user_id = str(user.pk)
    transaction.on_commit(lambda: send_email_confirmation.enqueue(user_id))


def deletion_date(user: User) -> object:
    return user.created_at + timedelta(days=settings.UNCONFIRMED_SIGNUP_DAYS)


def unconfirmed_sign_ups(now: object) -> QuerySet[User]:
    """Accounts never confirmed within UNCONFIRMED_SIGNUP_DAYS (staff accounts excepted)."""
    limit = now - timedelta(days=settings.UNCONFIRMED_SIGNUP_DAYS)  # type: ignore[operator]
    return User.objects.filter(
        email_confirmed_at__isnull=True, created_at__lt=limit, is_staff=False
    )
