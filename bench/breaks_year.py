"""The year summary with and without breaks (issue 17), in process, on a database of its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> python -m bench.breaks_year [--breaks]

Migrates the database the URL names (use a scratch one: it is written to), adds one person with
a year of entries (20 a day, 7,300, 8 projects, one tag each) and, with `--breaks`, one
5-minute break in every tenth entry (730); then times `reports.selectors.summary` over the year
by day, project and tag, seven times each, and prints the medians (min-max). Run it against the
main branch's code and this one on two scratch databases for a same-run comparison."""

import argparse
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import django

ENTRIES_A_DAY = 20


def _seed(with_breaks: bool) -> object:
    from django.db import connection

    from routinie.accounts.models import User
    from routinie.tracking.models import Project, Tag, TimeEntry

    user, created = User.objects.get_or_create(email="year@example.test", defaults={"name": "Y"})
    if not created:
        return user
    projects = [Project.objects.create(user=user, name=f"P{i}") for i in range(8)]
    tags = [Tag.objects.create(user=user, name=f"t{i}") for i in range(6)]
    first = datetime(2025, 1, 1, 6, tzinfo=UTC)
    entries = [
        TimeEntry(
            user=user,
            start=first + timedelta(days=day, minutes=40 * n),
            end=first + timedelta(days=day, minutes=40 * n + 35),
            project=projects[n % 8],
        )
        for day in range(365)
        for n in range(ENTRIES_A_DAY)
    ]
    TimeEntry.objects.bulk_create(entries, batch_size=2000)
    links = TimeEntry.tags.through
    links.objects.bulk_create(
        [links(timeentry_id=e.pk, tag_id=tags[i % 6].pk) for i, e in enumerate(entries)],
        batch_size=5000,
    )
    if with_breaks:
        from routinie.tracking.models import EntryBreak

        EntryBreak.objects.bulk_create(
            [
                EntryBreak(
                    entry=e,
                    user=user,
                    start=e.start + timedelta(minutes=10),
                    end=e.start + timedelta(minutes=15),
                )
                for e in entries[::10]
            ],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--breaks", action="store_true", help="a break in every tenth entry")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "routinie.settings")
    django.setup()
    from django.core.management import call_command

    from routinie.tracking.reports.selectors import summary

    call_command("migrate", verbosity=0)
    user = _seed(arguments.breaks)
    for group_by in ("day", "project", "tag"):
        times = []
        for _ in range(7):
            started = time.perf_counter()
            summary(user=user, first=date(2025, 1, 1), last=date(2025, 12, 31), group_by=group_by)  # type: ignore[arg-type]
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        print(f"{group_by:8} {median:6.1f} ms ({min(times):.1f}-{max(times):.1f})")


if __name__ == "__main__":
    main()
