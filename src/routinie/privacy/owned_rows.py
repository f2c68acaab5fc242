"""An account's rows of one table deleted with one statement (erasure, P18).

Django's cascade reads the key of every row it deletes and deletes them a hundred at a time,
each batch's many-to-many links first: for the heaviest account (73,000 time entries, 55,000
tag links) that is 1,500 statements and 2-10 s. A table whose rows nothing points to but its
own many-to-many links, and that no delete signal listens to, can go at once: its links with
one DELETE (`= ANY(ARRAY(the owner's ids))` on PostgreSQL, so the links' index is probed per row
instead of hashed against everyone's links), then its leaf children's rows (an entry's breaks)
the same way, then its rows with another. What the cascade does after that finds nothing left
of those tables. A table without such links is left to the
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


def _heard(model: Any) -> bool:
    """A delete signal listens to the model (its rows must go through Django's cascade)."""
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


def _leaf_children(model: type[Model]) -> list[tuple[Any, str]]:
    """The models that point to `model`'s rows with CASCADE and that nothing points to, no
    delete signal hears, with no many-to-many links (an entry's breaks, its forgotten-timer
    row), and their key's name: their rows can go with one DELETE by a subquery, before
    `model`'s."""
    children = []
    for field in model._meta.get_fields(include_hidden=True):
        reverse = field.one_to_many or field.one_to_one
        if not (field.auto_created and not field.concrete and reverse):
            continue
        child: Any = field.related_model
        key = field.field  # type: ignore[union-attr]
        if key.remote_field.on_delete is not CASCADE or _dependents(child) or _links(child):
            continue
        if _heard(child):
            continue
        children.append((child, key.name))
    return children


def deletable_at_once(model: type[Model], owner: str) -> bool:
    """Has many-to-many links (without any, the cascade already deletes it in one statement),
    is deleted with its owner (CASCADE through a direct key: not a row kept by law), is heard
    by no delete signal, and nothing points to its rows but those links and leaf children
    (`_leaf_children`)."""
    if "__" in owner or owner == "pk" or not _links(model):
        return False
    field = model._meta.get_field(owner)
    if not isinstance(field, ForeignKey) or field.remote_field.on_delete is not CASCADE:
        return False
    if _heard(model):
        return False
    children = {child for child, _ in _leaf_children(model)}
    return _dependents(model) <= _links(model) | children


def delete_owned_rows(model: type[Model], owner: str, user_id: Any) -> int:
    """Delete the user's rows of `model` with one statement, after one statement for each
    table of its many-to-many links and leaf children (names come from the models); how many
    rows. Only for a model `deletable_at_once`."""
    rows = model._default_manager.filter(**{owner: user_id})
    field = model._meta.get_field(owner)
    if not isinstance(field, ForeignKey):
        raise ValueError(f"{model._meta.label}.{owner} is not a foreign key")
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    key = field.target_field.get_db_prep_value(user_id, connection)
    table_name, owner_column = quote(model._meta.db_table), quote(field.column)
    pk_column = quote(str(model._meta.pk.column))
    mine = f"SELECT {pk_column} FROM {table_name} WHERE {owner_column} = %s"  # noqa: S608
    dependents: list[tuple[str, str]] = [
        (m2m.remote_field.through._meta.db_table, m2m.m2m_column_name())  # type: ignore[union-attr]
        for m2m in model._meta.many_to_many
    ]
    dependents += [
        (child._meta.db_table, str(child._meta.get_field(k).column))
        for child, k in _leaf_children(model)
    ]
    with connection.cursor() as cursor:
        for table, column in dependents:
            # `= ANY(ARRAY(subquery))`, not `IN (subquery)`: PostgreSQL then probes the
            # dependents' index once per row of the person's (a 73,000-entry account: 0.1 s)
            # instead of hashing them against a scan of everyone's links (19.6 million at
            # `full`: 6.6 s). SQLite has no arrays: IN there, served by its index.
            if connection.vendor == "postgresql":
                where = f"{quote(column)} = ANY(ARRAY({mine}))"
            else:
                where = f"{quote(column)} IN ({mine})"
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {where}", [key])  # noqa: S608
        cursor.execute(f"DELETE FROM {table_name} WHERE {owner_column} = %s", [key])  # noqa: S608
        return int(cursor.rowcount)
