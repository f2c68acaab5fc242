"""The `user` keys of tracking's tables lose their own one-column index: an index or unique
constraint of each table starts with the user and serves every `user_id = ...` lookup.

The index is dropped by its generated name, not by `AlterField`: on PostgreSQL, Django's
`AlterField(db_index=False)` drops every plain or unique *index* on exactly the column, and
`one_running_timer_per_user` (a partial unique index on `user_id`) is one of them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("checkin", "project", "routine", "tag", "timeentry")
RELATED = {
    "checkin": "checkins",
    "project": "projects",
    "routine": "routines",
    "tag": "tags",
    "timeentry": "time_entries",
}


def _index_name(schema_editor, model):
    """The name Django gave the key's index when it was created (db_index=True)."""
    return schema_editor._create_index_name(model._meta.db_table, ["user_id"])


def drop_user_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in MODELS:
        model = apps.get_model("tracking", name)
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_index_name(schema_editor, model))}")


def create_user_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in MODELS:
        model = apps.get_model("tracking", name)
        table, index = quote(model._meta.db_table), quote(_index_name(schema_editor, model))
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} (user_id)")


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0002_entries_newest_first_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=name,
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=RELATED[name],
                        to=settings.AUTH_USER_MODEL,
                    ),
                )
                for name in MODELS
            ],
            database_operations=[
                migrations.RunPython(drop_user_indexes, create_user_indexes),
            ],
        ),
    ]
