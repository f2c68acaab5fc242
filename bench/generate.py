"""Benchmark data, reproducible from a seed: a population of ordinary users and one heavy user.

The same seed and anchor day give the same rows (ids included); every date counts back from
the anchor day (today by default), so reports of "this year" see the same shape of data on any
day. Rows are written with `bulk_create` in large batches, a chunk of users at a time, so memory
stays bounded whatever the size. Every user shares one password hash, computed once.

    python -m bench.generate --dataset quick --heavy heavy-quick   # into a scratch database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python -m bench.generate --dataset full --heavy heavy --reuse  # COPY, kept (datasets.py)
"""

import argparse
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

BATCH_SIZE = 5_000
USERS_PER_CHUNK = 250
PASSWORD = "bench-Lantern-42"
ZONES = (
    "UTC",
    "Europe/Bucharest",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
)
HEAVY_ZONE = "Europe/Bucharest"  # has DST: 23- and 25-hour days
DESCRIPTIONS = (
    "Code review",
    "Write report",
    "E-mail",
    "Team meeting",
    "Planning",
    "Customer call",
    "Reading",
    "Research",
    "Design",
    "Bug fixing",
    "",
)
PROJECT_NAMES = ("Website", "Mobile app", "Admin", "Client A", "Client B", "Research", "Ops")
TAG_NAMES = ("billable", "deep-work", "meeting", "remote", "urgent", "learning", "support")
ROUTINE_NAMES = ("Stretch", "Drink water", "Journal", "Read", "Walk", "Meditate", "Floss")
KINDS = ("daily", "weekdays", "times_per_week", "every_n_days")
NIGHT_SHARE = 0.01  # entries that cross local midnight (split in Python by reports)


@dataclass(frozen=True)
class Population:
    """Ordinary users; their entries fall in the `days` before the anchor day."""

    users: int
    entries: int
    routines: int
    checkins: int
    days: int = 365


@dataclass(frozen=True)
class HeavyUser:
    """One account at the extreme: `entries_per_day` entries on each of `days` days."""

    days: int
    entries_per_day: int = 20
    routines: int = 20
    checkins: int = 70_000


POPULATIONS = {
    "quick": Population(users=100, entries=10_000, routines=300, checkins=9_000),
    "small": Population(users=1_000, entries=100_000, routines=3_000, checkins=90_000),
    # PostgreSQL only, loaded with COPY into a kept database (bench/datasets.py).
    "full": Population(users=500_000, entries=50_000_000, routines=1_500_000, checkins=45_000_000),
}
HEAVY_USERS = {
    "heavy-quick": HeavyUser(days=365, checkins=7_000),
    "heavy": HeavyUser(days=3_650, checkins=70_000),
}


@dataclass(frozen=True)
class SampleUser:
    id: uuid.UUID
    email: str
    timezone: str
    routine_ids: list[uuid.UUID]


@dataclass
class Generated:
    seed: int
    anchor: date
    counts: dict[str, int]
    seconds: float
    sample_users: list[SampleUser]
    heavy_user_id: uuid.UUID | None


@dataclass
class Rows:
    """What one chunk of users writes, in dependency order."""

    users: list[Any] = field(default_factory=list)
    acceptances: list[Any] = field(default_factory=list)
    projects: list[Any] = field(default_factory=list)
    tags: list[Any] = field(default_factory=list)
    routines: list[Any] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)
    entry_tags: list[tuple[uuid.UUID, Any]] = field(default_factory=list)
    checkins: list[Any] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant `minutes` after local midnight of `day`."""
    local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def _numbered(names: tuple[str, ...], index: int, joiner: str) -> str:
    """The index-th name, numbered once the list runs out (names stay unique)."""
    name = names[index % len(names)]
    return name if index < len(names) else f"{name}{joiner}{index}"


def _share(total: int, parts: int, index: int) -> int:
    """Part `index` of `total` split as evenly as possible into `parts`."""
    return total // parts + (1 if index < total % parts else 0)


class Builder:
    """Builds model instances for one user at a time (models imported once Django is set up)."""

    def __init__(self, rng: random.Random, anchor: date, password_hash: str, version: Any):
        from routinie.accounts.models import User
        from routinie.policy.models import PolicyAcceptance
        from routinie.tracking import models

        self.rng, self.anchor = rng, anchor
        self.password_hash, self.version = password_hash, version
        self.m, self.User, self.PolicyAcceptance = models, User, PolicyAcceptance
        self.anchor_at = datetime(anchor.year, anchor.month, anchor.day, tzinfo=UTC)
        self.user_fields = {f.name for f in User._meta.concrete_fields}

    def user(self, rows: Rows, email: str, zone: str, days: int, projects: int, tags: int) -> Any:
        created = self.anchor_at - timedelta(days=days + 1)
        user = self.User(
            id=_uuid(self.rng),
            name=email.split("@")[0].replace("-", " ").title(),
            email=email,
            password=self.password_hash,
            timezone=zone,
            password_changed_at=created,
            created_at=created,
        )
        if "email_confirmed_at" in self.user_fields:
            user.email_confirmed_at = created  # as after sign-up's confirmation link
        rows.users.append(user)
        rows.acceptances.append(
            self.PolicyAcceptance(user=user, version=self.version, accepted_at=created)
        )
        for i in range(projects):
            name = _numbered(PROJECT_NAMES, i, " ")
            rows.projects.append(
                self.m.Project(id=_uuid(self.rng), user=user, name=name, created_at=created)
            )
        for i in range(tags):
            name = _numbered(TAG_NAMES, i, "-")
            rows.tags.append(self.m.Tag(user=user, name=name))
        return user

    def entry(self, mine: Rows, user: Any, start: datetime, end: datetime) -> None:
        """An entry of `user`, with one of their projects and tags (`mine` holds them)."""
        rng = self.rng
        project = rng.choice(mine.projects) if mine.projects and rng.random() < 0.85 else None
        entry = self.m.TimeEntry(
            id=_uuid(rng),
            user=user,
            description=rng.choice(DESCRIPTIONS),
            project=project,
            start=start,
            end=end,
            created_at=end,
        )
        mine.entries.append(entry)
        if mine.tags:
            for tag in rng.sample(mine.tags, k=min(len(mine.tags), rng.choice((0, 0, 1, 1, 2)))):
                mine.entry_tags.append((entry.id, tag))

    def routine(self, rows: Rows, user: Any, index: int, starts_on: date) -> Any:
        rng, kind = self.rng, KINDS[index % len(KINDS)]
        with_target = ROUTINE_NAMES[index % len(ROUTINE_NAMES)] == "Drink water"
        routine = self.m.Routine(
            id=_uuid(rng),
            user=user,
            name=_numbered(ROUTINE_NAMES, index, " "),
            schedule_kind=kind,
            schedule_days=0b0011111 if kind == "weekdays" else 0,
            schedule_number={"times_per_week": 3, "every_n_days": 2}.get(kind, 0),
            starts_on=starts_on,
            target_value=8.0 if with_target else None,
            target_unit="glasses" if with_target else "",
            created_at=_at(starts_on, 0, ZoneInfo("UTC")),
        )
        rows.routines.append(routine)
        return routine

    def checkin(self, rows: Rows, user: Any, routine: Any, day: date) -> None:
        roll = self.rng.random()
        status = "done" if roll < 0.9 else "skipped" if roll < 0.97 else "note"
        numeric = routine.target_value is not None and status == "done"
        value = float(self.rng.randint(4, 10)) if numeric else None
        rows.checkins.append(
            self.m.CheckIn(
                routine=routine,
                user=user,
                date=day,
                status=status,
                value=value,
                note="busy day" if status == "note" else "",
                created_at=_at(day, 20 * 60, ZoneInfo("UTC")),
            )
        )


def _ordinary_user(b: Builder, rows: Rows, index: int, pop: Population) -> SampleUser:
    rng = b.rng
    zone_name = rng.choice(ZONES)
    zone = ZoneInfo(zone_name)
    mine = Rows()
    user = b.user(mine, f"bench-{index:07d}@example.com", zone_name, pop.days, 4, 4)
    for _ in range(_share(pop.entries, pop.users, index)):
        back = rng.randint(1, pop.days)
        if back >= 2 and rng.random() < NIGHT_SHARE:
            start = _at(b.anchor - timedelta(days=back), 23 * 60 + rng.randrange(0, 50, 10), zone)
            minutes = rng.randint(30, 150)
        else:
            start = _at(b.anchor - timedelta(days=back), rng.randint(7 * 12, 20 * 12) * 5, zone)
            minutes = rng.randint(10, 180)
        b.entry(mine, user, start, start + timedelta(minutes=minutes))
    routines = _share(pop.routines, pop.users, index)
    per_routine = pop.checkins // max(pop.routines, 1)
    window = max(45, per_routine)
    for r in range(routines):
        routine = b.routine(mine, user, r, b.anchor - timedelta(days=window + 1))
        for back in sorted(rng.sample(range(1, window + 1), per_routine)):
            b.checkin(mine, user, routine, b.anchor - timedelta(days=back))
    _merge(rows, mine)
    return SampleUser(user.id, user.email, zone_name, [r.id for r in mine.routines])


def _heavy_user(b: Builder, rows: Rows, heavy: HeavyUser) -> Any:
    rng, zone = b.rng, ZoneInfo(HEAVY_ZONE)
    mine = Rows()
    user = b.user(mine, "heavy@example.com", HEAVY_ZONE, heavy.days, 15, 12)
    for back in range(heavy.days, 0, -1):
        day = b.anchor - timedelta(days=back)
        minute = 7 * 60
        for k in range(heavy.entries_per_day):
            if k == heavy.entries_per_day - 1 and back >= 2 and rng.random() < 2 * NIGHT_SHARE:
                minute = 23 * 60 + 15  # a night shift: crosses local midnight
            minute += rng.randint(2, 12)
            length = rng.randint(15, 30) if minute < 23 * 60 else rng.randint(60, 120)
            b.entry(mine, user, _at(day, minute, zone), _at(day, minute + length, zone))
            minute += length
    share = heavy.checkins / (heavy.routines * heavy.days)
    starts_on = b.anchor - timedelta(days=heavy.days)
    for r in range(heavy.routines):
        routine = b.routine(mine, user, r, starts_on)
        for back in range(heavy.days, 0, -1):
            if rng.random() < share:
                b.checkin(mine, user, routine, b.anchor - timedelta(days=back))
    _merge(rows, mine)
    return user


def _merge(into: Rows, rows: Rows) -> None:
    for name in Rows.__dataclass_fields__:
        getattr(into, name).extend(getattr(rows, name))


def _save(rows: Rows, counts: dict[str, int]) -> None:
    from django.db import transaction

    from routinie.accounts.models import User
    from routinie.policy.models import PolicyAcceptance
    from routinie.tracking.models import CheckIn, Project, Routine, Tag, TimeEntry

    through = TimeEntry.tags.through
    with transaction.atomic():
        for model, objs in (
            (User, rows.users),
            (PolicyAcceptance, rows.acceptances),
            (Project, rows.projects),
            (Tag, rows.tags),  # ids come back from the insert (SQLite 3.35+, PostgreSQL)
            (Routine, rows.routines),
            (TimeEntry, rows.entries),
            (CheckIn, rows.checkins),
        ):
            model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            counts[model.__name__] = counts.get(model.__name__, 0) + len(objs)
        links = [through(timeentry_id=entry_id, tag_id=tag.pk) for entry_id, tag in rows.entry_tags]
        through._default_manager.bulk_create(links, batch_size=BATCH_SIZE)
        counts["TimeEntry.tags"] = counts.get("TimeEntry.tags", 0) + len(links)


def _refresh_statistics() -> None:
    """After a bulk load, give the planner statistics, as autovacuum soon would in production
    (without them PostgreSQL guesses row counts and picks sequential scans)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate(
    *,
    population: Population,
    heavy: HeavyUser | None,
    seed: int = 1,
    anchor: date | None = None,
    samples: int = 64,
) -> Generated:
    """Write the population and the heavy user into the configured (empty) database."""
    from django.contrib.auth.hashers import make_password

    from routinie.policy.models import PolicyVersion

    began = time.perf_counter()
    anchor = anchor or datetime.now(UTC).date()
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    version = PolicyVersion.objects.order_by("-version").first()
    builder = Builder(rng, anchor, make_password(PASSWORD), version)
    counts: dict[str, int] = {}
    sample_users: list[SampleUser] = []
    for first in range(0, population.users, USERS_PER_CHUNK):
        rows = Rows()
        for index in range(first, min(first + USERS_PER_CHUNK, population.users)):
            sample = _ordinary_user(builder, rows, index, population)
            if len(sample_users) < samples:
                sample_users.append(sample)
        _save(rows, counts)
    heavy_id = None
    if heavy is not None:
        rows = Rows()
        heavy_id = _heavy_user(builder, rows, heavy).id
        _save(rows, counts)
    _refresh_statistics()
    return Generated(seed, anchor, counts, time.perf_counter() - began, sample_users, heavy_id)


def main() -> None:
    from bench.datasets import drop_kept, prepared

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(POPULATIONS), default="quick")
    parser.add_argument(
        "--heavy", choices=[*sorted(HEAVY_USERS), "none"], help="default heavy-quick; full: heavy"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", type=date.fromisoformat, help="data's last day (default today)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite directory")
    parser.add_argument("--reuse", action="store_true", help="full: reuse the kept database")
    parser.add_argument("--drop", action="store_true", help="full: drop the kept database")
    args = parser.parse_args()
    if args.drop:
        if args.dataset != "full":
            parser.error("--drop removes the kept full data set: use it with --dataset full")
        drop_kept(args.seed)
        return
    began = time.perf_counter()
    heavy = args.heavy or ("heavy" if args.dataset == "full" else "heavy-quick")
    heavy = None if heavy == "none" else heavy
    with prepared(
        args.dataset, heavy, seed=args.seed, anchor=args.anchor, reuse=args.reuse, keep=args.keep
    ) as (db, result):
        seconds = time.perf_counter() - began
        print(f"{db.description}: {result.counts} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
