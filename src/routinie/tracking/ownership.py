"""The one way to reach a user's tracking objects: scoped to their owner (P12).

Nothing reads a project, entry, routine or check-in by an id from the client without going
through `owned` or `get_owned`, so another user's object is simply not found (404).
"""

from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Model, QuerySet

from routinie.accounts.models import User
from routinie.core.errors import Conflict, NotFound

M = TypeVar("M", bound=Model)


def owned(model: type[M], user: User) -> QuerySet[M]:
    """Every row of `model` that belongs to `user`."""
    return model._default_manager.filter(user=user)


def get_owned(model: type[M], user: User, object_id: UUID | str, what: str) -> M:
    """The `user`'s row with this id, or NotFound (whether it is someone else's or absent)."""
    try:
        return owned(model, user).get(pk=object_id)
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise NotFound(f"No such {what}.") from None


def already_created(
    model: type[M], user: User, object_id: UUID | None, fields: dict[str, Any]
) -> M | None:
    """The object a repeated create names by its client id (safe retries): None when the id is
    new; the object when it is the user's with the same content; else Conflict."""
    if object_id is None:
        return None
    existing = model._default_manager.filter(pk=object_id).first()
    if existing is None:
        return None
    if existing.user_id != user.pk or any(getattr(existing, k) != v for k, v in fields.items()):  # type: ignore[attr-defined]
        raise Conflict("An object with this id already exists with other content.")
    return existing
