"""PostgreSQL samples more rows to estimate how many people own entries and check-ins.

ANALYZE's default sample (30,000 rows) of a long-tailed spread (a few people with tens of
thousands of entries, most with a hundred) put the number of distinct `user_id`s of
`tracking_timeentry` at 35,118 for 500,001 people at the `full` data set: the planner then
expected 1,400 rows per person and read the whole table (5.7 GB) for every chunk of 1,000
accounts of the key figures, 7 s a chunk. With 3,000 as the column's statistics target (a
sample of 900,000 rows) it estimates 354,844 and reads by index, 0.3 s a chunk
(docs/performance.md). Nothing on SQLite, whose planner has no such estimate."""

from django.db import migrations

TABLES = ("tracking_timeentry", "tracking_checkin")
TARGET = 3000


def _set(apps, schema_editor, target):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} "
            f"ALTER COLUMN user_id SET STATISTICS {int(target)}"
        )


def larger_sample(apps, schema_editor):
    _set(apps, schema_editor, TARGET)


def default_sample(apps, schema_editor):
    _set(apps, schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_user_keys_served_by_composite_indexes")]

    operations = [migrations.RunPython(larger_sample, default_sample)]
