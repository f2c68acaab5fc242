"""Keyset (cursor) pagination: stable under inserts and as fast on page 1,000 as on page 1.

A cursor is the sort key of the last item, signed with the server secret so a client can neither
forge nor corrupt one unnoticed (a bad cursor is a 400, never a 500). The items are whatever the
queryset yields (model objects, or plain rows for the hot API lists), read by `fetch`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.core import signing
from django.db.models import Q, QuerySet

from routinie.core.errors import DomainError, InvalidInput

T = TypeVar("T")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_SALT = "routinie.cursor"


class BadCursor(DomainError):
    status = 400


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def instant_and_id(values: list[Any]) -> list[Any]:
    """A cursor's sort key read back when it is a time and an id (start or created_at, id)."""
    return [datetime.fromisoformat(values[0]), UUID(values[1])]


def check_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.on("limit", f"limit must be between 1 and {MAX_LIMIT}.")
    return limit


def paginate(
    queryset: QuerySet[Any, T],
    *,
    keys: Sequence[str],
    descending: bool,
    cursor: str | None,
    limit: int | None,
    encode: Callable[[T], list[Any]],
    decode: Callable[[list[Any]], list[Any]],
    fetch: Callable[[QuerySet[Any, T]], list[T]] = list,
) -> Page[T]:
    """One page of `queryset` ordered by `keys` (all ascending or all descending), its rows
    read by `fetch` (by default the queryset's own iteration)."""
    size = check_limit(limit)
    order = [f"-{k}" if descending else k for k in keys]
    queryset = queryset.order_by(*order)
    if cursor:
        try:
            values = decode(signing.loads(cursor, salt=_SALT))
        except (signing.BadSignature, ValueError, TypeError, IndexError):
            raise BadCursor("This cursor is not one of ours; start again without it.") from None
        queryset = queryset.filter(_after(keys, values, descending))
    items = fetch(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        next_cursor = signing.dumps(encode(items[-1]), salt=_SALT)
    return Page(items, next_cursor)


def oldest_first(queryset: QuerySet[Any, T], *, cursor: str | None, limit: int | None) -> Page[T]:
    """A page of model objects oldest first, by `created_at` then id (routines, goals)."""
    return paginate(
        queryset,
        keys=("created_at", "id"),
        descending=False,
        cursor=cursor,
        limit=limit,
        encode=lambda row: [row.created_at.isoformat(), str(row.pk)],  # type: ignore[attr-defined]
        decode=instant_and_id,
    )


def _after(keys: Sequence[str], values: Sequence[Any], descending: bool) -> Q:
    """Rows strictly after `values` in (k1, k2, …) order, as a portable OR of ANDs."""
    op = "lt" if descending else "gt"
    condition = Q()
    for i, key in enumerate(keys):
        step = Q(**{f"{key}__{op}": values[i]})
        for prior_key, prior_value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{prior_key: prior_value})
        condition |= step
    return condition
