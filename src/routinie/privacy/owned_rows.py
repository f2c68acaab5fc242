"""An account's rows of one table deleted with one statement (erasure, P18).

Django's cascade reads the key of every row it deletes and deletes them a hundred at a time,
each batch's many-to-many links first: for the heaviest account (73,000 time entries, 55,000
tag links) that is 1,500 statements and 2-10 s. A table whose rows nothing points to but its
own many-to-many links, and that no delete signal listens to, can go at once: its links with
one DELETE (by a subquery on the owner), then its rows with another. What the cascade does
after that finds nothing left of those tables. A table without such links is left to the
cascade, which already deletes it in one statement (and a signal on the account may need its
rows first: the export archives' files)."""

from typing import Any

from django.db import connections
from django.db.models import CASCADE, ForeignKey, Model, signals


def _links(model: type[Model]) -> set[Any]:
    return {m2m.remote_field.through for m2m in model._meta.many_to_many}


def _dependents(model: type[Model]) -> set[Any]:
    """The models whose rows point to `model`'s (as Django's cascade finds them)."""
    return {
        field.related_model
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_one or field.one_to_many)
    }


def deletable_at_once(model: type[Model], owner: str) -> bool:
    """Has many-to-many links (without any, the cascade already deletes it in one statement),
    is deleted with its owner (CASCADE through a direct key: not a row kept by law), is heard
    by no delete signal, and nothing points to its rows but those links."""
    if "__" in owner or owner == "pk" or not _links(model):
        return False
    field = model._meta.get_field(owner)
    if not isinstance(field, ForeignKey) or field.remote_field.on_delete is not CASCADE:
        return False
    if signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model):
        return False
    return _dependents(model) <= _links(model)


def delete_owned_rows(model: type[Model], owner: str, user_id: Any) -> int:
    """Delete the user's rows of `model` (and their many-to-many links) in two statements
    each; how many rows. Only for a model `deletable_at_once`."""
    rows = model._default_manager.filter(**{owner: user_id})
    for m2m in model._meta.many_to_many:
        through: Any = m2m.remote_field.through  # a model once the app registry is ready
        mine = {f"{m2m.m2m_field_name()}__in": rows.values("pk")}
        through._default_manager.filter(**mine).delete()  # no dependents: one DELETE
    field = model._meta.get_field(owner)
    if not isinstance(field, ForeignKey):
        raise ValueError(f"{model._meta.label}.{owner} is not a foreign key")
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    key = field.target_field.get_db_prep_value(user_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} = %s",  # noqa: S608 (names from the models)
            [key],
        )
        return int(cursor.rowcount)
