"""What goes into a data export (P18), from the registry: one part per table with an owner,
its columns, and the fields left out (the registry's secrets) with the reason."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from routinie.core.data_rules import Rule, Table
from routinie.privacy.registry import TABLES

CHUNK = 2000  # rows read from the database at a time


@dataclass(frozen=True)
class Column:
    name: str  # the registry's field name
    column: str  # the key in the JSON and the CSV header: the attname (FKs: "<name>_id")
    rule: Rule


@dataclass(frozen=True)
class LeftOut:
    name: str
    rule: Rule
    why: str


@dataclass(frozen=True)
class Part:
    """One owned table of the registry: its two files and their columns."""

    table: Table
    model: type[models.Model]
    base: str  # file name without extension, e.g. "tracking_timeentry"
    columns: tuple[Column, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def files(self) -> tuple[str, str]:
        return f"{self.base}.json", f"{self.base}.csv"

    def rows(self, user_id: Any) -> Iterator[tuple[Any, ...]]:
        """The user's rows, streamed in chunks (never the whole table in memory)."""
        rows = self.model._default_manager.filter(**{self.table.owner or "pk": user_id})
        names = [c.column for c in self.columns]
        return rows.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK)


def _many_to_many_file(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    return _base(through)


def _base(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def _part(table: Table) -> Part:
    model = apps.get_model(table.label)
    columns: list[Column] = []
    left_out: list[LeftOut] = []
    for name, rule in table.fields.items():
        field = model._meta.get_field(name)
        if rule.secret:
            left_out.append(LeftOut(name, rule, "a secret: never exported"))
        elif field.many_to_many:
            where = _many_to_many_file(model, name)
            left_out.append(LeftOut(name, rule, f"in {where}.json and {where}.csv"))
        else:
            columns.append(Column(name, field.attname, rule))
    return Part(table, model, _base(model), tuple(columns), tuple(left_out))


def archive_parts() -> list[Part]:
    """Every table of the registry that belongs to a user, in registry order."""
    return [_part(table) for table in TABLES if table.owner is not None]
