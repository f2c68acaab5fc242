"""The one-click unsubscribe link of a reminder e-mail: signed (Django's signing, with its own
salt), so it needs no sign-in and cannot be forged or turned to another account. It is carried
as `?token=`, which the log filter blanks (`core.log_redaction`): the token is never logged."""

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core import signing

SALT = "routinie.tracking.reminders.unsubscribe"
PATH = "/reminders/unsubscribe/"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: UUID
    routine_id: UUID | None  # None: every reminder and the digest


def unsubscribe_token(user_id: UUID, routine_id: UUID | None) -> str:
    payload = {"u": str(user_id), "r": str(routine_id) if routine_id else None}
    return signing.dumps(payload, salt=SALT, compress=True)


def unsubscribe_url(user_id: UUID, routine_id: UUID | None) -> str:
    query = urlencode({"token": unsubscribe_token(user_id, routine_id)})
    return f"{settings.SITE_URL}{PATH}?{query}"


def read_token(token: str) -> Unsubscribe | None:
    """What a token asks for; None when it is not one we signed with this salt."""
    try:
        payload = signing.loads(token, salt=SALT)
        routine = payload.get("r")
        return Unsubscribe(UUID(payload["u"]), UUID(routine) if routine else None)
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
