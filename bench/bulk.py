"""Rows written in bulk, without model instances: COPY on PostgreSQL, one `executemany` INSERT
on SQLite. For loading and seeding benchmark data at any size."""

from typing import Any

from bench.copy_load import copy_into


class Columns:
    """A model's stored columns (auto ids left to the database) with their defaults, so rows
    can be written with only the values that matter here."""

    def __init__(self, model: Any):
        from django.db.models import AutoField, BigAutoField

        self.model = model
        self.fields = [
            f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)
        ]
        self.names = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def row(self, **values: Any) -> tuple[Any, ...]:
        return tuple(values.get(f.attname, self.defaults[f.attname]) for f in self.fields)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        write_rows(self.model, self.names, rows, self.fields)


def write_rows(
    model: Any, names: list[str], rows: list[tuple[Any, ...]], fields: list[Any]
) -> None:
    from django.db import connection

    if not rows:
        return
    table_name = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY takes Python values as they are, but for JSON (psycopg wants it wrapped).
            json = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
            with copy_into(cursor.cursor, model._meta.db_table, names) as copy:
                for row in rows:
                    if json:
                        values = list(row)
                        for i in json:
                            values[i] = fields[i].get_db_prep_value(values[i], connection)
                        row = tuple(values)
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(names))
        prepared = [
            tuple(f.get_db_prep_value(v, connection) for f, v in zip(fields, row, strict=True))
            for row in rows
        ]
        cursor.executemany(f"INSERT INTO {table_name} ({quoted}) VALUES ({marks})", prepared)  # noqa: S608
