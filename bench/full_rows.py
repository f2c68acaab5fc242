"""The rows of a large population as COPY text, a chunk of users at a time (never the whole set).

Reproducible: the same seed and anchor day give the same bytes, ids included. Each chunk of
users draws from its own generator (`Random(f"{seed}/{chunk}")`), and how many entries,
routines and check-ins each person has is settled first from `Random(f"{seed}/shares")`, so
a chunk never depends on how the one before it was drawn and the totals are exactly the data
set's. Rows are written as PostgreSQL's COPY text (tab-separated, `\\N` for NULL); no value
here needs escaping (the names and descriptions are fixed words).

The shapes (see bench/README.md):

- entries per person: lognormal (a long tail of heavy users, capped at 12 a day), totals exact;
- entries fall in local working hours (07:00-19:55) of the person's time zone (the ZONES
  list, DST zones included), weekdays about three times as likely as a weekend day, 1 % start
  late in the evening and cross local midnight;
- 1-8 projects and 0-8 tags per person; 85 % of entries have a project; about half the
  people tag their entries (1-2 tags each);
- 0-8 routines per person, every schedule kind, numeric targets on "Drink water"; check-ins
  over the last 90 days (done 90 %, skipped 7 %, note 3 %);
- every person has accepted the current policy and confirmed their e-mail address.
"""

from __future__ import annotations

import math
import random
import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from bench.generate import (
    DESCRIPTIONS,
    KINDS,
    PROJECT_NAMES,
    ROUTINE_NAMES,
    TAG_NAMES,
    ZONES,
    Population,
    SampleUser,
)

USERS_PER_CHUNK = 2_000
CHECKIN_WINDOW = 90  # days of check-ins before the anchor day
MAX_PER_DAY = 12  # the most entries a generated person has per day on average
SPREAD = 1.1  # sigma of the lognormal spread of entries per person
UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48))
UUID_V4 = (0x4000 << 64) | (0x8000 << 48)
NULL = "\\N"

# The columns each table is written with, in that order (checked against the database).
COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts_user": (
        "id",
        "password",
        "is_superuser",
        "name",
        "email",
        "timezone",
        "week_start",
        "email_confirmed_at",
        "password_changed_at",
        "password_reminder_sent_at",
        "created_at",
        "is_active",
        "is_staff",
        "forgotten_timer_hours",
        "last_active_at",
    ),
    "policy_policyacceptance": ("id", "user_id", "version_id", "accepted_at"),
    "tracking_project": ("id", "user_id", "name", "color", "archived", "created_at"),
    "tracking_tag": ("id", "user_id", "name"),
    "tracking_routine": (
        "id",
        "user_id",
        "name",
        "schedule_kind",
        "schedule_days",
        "schedule_number",
        "starts_on",
        "target_value",
        "target_unit",
        "archived",
        "created_at",
        "reminder_time",
        "reminder_next_at",
    ),
    "tracking_timeentry": (
        "id",
        "user_id",
        "description",
        "project_id",
        "start",
        "end",
        "routine_id",
        "routine_step",
        "created_at",
    ),
    "tracking_timeentry_tags": ("id", "timeentry_id", "tag_id"),
    "tracking_checkin": (
        "id",
        "routine_id",
        "user_id",
        "date",
        "status",
        "value",
        "note",
        "created_at",
    ),
}
TABLES = tuple(COLUMNS)


@dataclass
class Chunk:
    """One chunk's COPY text per table, and the sample users found in it."""

    text: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TABLES})
    samples: list[SampleUser] = field(default_factory=list)


def allocate(total: int, weights: list[float]) -> array[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it exactly
    (each part is the difference of two rounded running totals)."""
    cumulative = list(accumulate(weights))
    scale = total / cumulative[-1] if cumulative and cumulative[-1] else 0.0
    parts, before = array("i"), 0
    for c in cumulative:
        now = round(c * scale)
        parts.append(now - before)
        before = now
    return parts


@dataclass
class Shares:
    """How many entries, routines and check-ins each person has (settled before any row)."""

    entries: array[int]
    routines: array[int]
    checkins: array[int]


def shares(shape: Population, seed: int) -> Shares:
    rng = random.Random(f"{seed}/shares")  # noqa: S311 (reproducible data, not secrets)
    n = shape.users
    cap = 40 * math.exp(SPREAD**2 / 2)  # at most 40 times the mean
    activity = [min(rng.lognormvariate(0.0, SPREAD), cap) for _ in range(n)]
    entries = allocate(shape.entries, activity)
    over = [i for i, e in enumerate(entries) if e > shape.days * MAX_PER_DAY]
    if over:
        raise ValueError(f"{len(over)} people would have more than {MAX_PER_DAY} entries a day")
    routine_weights = [rng.choice((0.0, 0.5, 1.0, 1.0, 1.5, 2.0)) for _ in range(n)]
    routines = allocate(shape.routines, routine_weights)
    if max(routines, default=0) > len(ROUTINE_NAMES) * 4:
        raise ValueError("too many routines for one person")
    per_routine = [r * rng.uniform(0.5, 1.5) for r in routines]
    checkins = allocate(shape.checkins, per_routine)
    for r, c in zip(routines, checkins, strict=True):
        if c > r * CHECKIN_WINDOW:
            raise ValueError("more check-ins than days in the window")
    return Shares(entries, routines, checkins)


class Clock:
    """UTC timestamps and dates as COPY text, from whole minutes, without datetime per row."""

    def __init__(self, anchor: date, days: int):
        self.first = anchor - timedelta(days=days + 3)
        self.base = int(datetime(*self.first.timetuple()[:3], tzinfo=UTC).timestamp()) // 60
        self.dates = [(self.first + timedelta(days=d)).isoformat() for d in range(days + 8)]
        self.hhmm = [f" {m // 60:02d}:{m % 60:02d}:00+00" for m in range(1440)]
        self.anchor = anchor
        backs = range(days + 8)
        self.weekend = [(anchor - timedelta(days=b)).weekday() >= 5 for b in backs]
        self.day = [(anchor - timedelta(days=b)).isoformat() for b in backs]
        # Local midnight of (anchor - back) in UTC minutes, per zone; the offset is the one in
        # force at local noon, right for every time from 03:00 to the next midnight (DST
        # changes at night).
        self.midnight: dict[str, list[int]] = {}
        for name in ZONES:
            zone, starts = ZoneInfo(name), []
            for back in range(days + 8):
                day = anchor - timedelta(days=back)
                noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
                offset = noon.utcoffset() or timedelta(0)
                utc_day = int(datetime(*day.timetuple()[:3], tzinfo=UTC).timestamp()) // 60
                starts.append(utc_day - int(offset.total_seconds()) // 60)
            self.midnight[name] = starts

    def stamp(self, minute: int) -> str:
        d, m = divmod(minute - self.base, 1440)
        return self.dates[d] + self.hhmm[m]


class Writer:
    """Writes the rows of ordinary people; ids of the auto-numbered tables come from counters
    that run over the whole data set in order."""

    def __init__(self, shape: Population, seed: int, anchor: date, password: str, version_id: int):
        self.shape, self.seed, self.anchor = shape, seed, anchor
        self.password, self.version_id = password, version_id
        self.shares = shares(shape, seed)
        self.clock = Clock(anchor, max(shape.days, CHECKIN_WINDOW))
        self.checkin_starts = [0, *accumulate(self.shares.checkins)]
        self.next_tag = self.next_link = 1
        self.created = self.clock.stamp(self.clock.midnight["UTC"][shape.days + 1])
        utc = self.clock.midnight["UTC"]
        self.evening = [self.clock.stamp(m + 20 * 60) for m in utc]  # check-ins' created_at

    def chunks(self, samples: int) -> Iterator[Chunk]:
        taken = 0
        for number, first in enumerate(range(0, self.shape.users, USERS_PER_CHUNK)):
            rng = random.Random(f"{self.seed}/{number}")  # noqa: S311 (reproducible data)
            chunk = Chunk()
            for index in range(first, min(first + USERS_PER_CHUNK, self.shape.users)):
                user, email, zone, routines = self.person(rng, chunk.text, index)
                if taken < samples and routines:
                    ids = [uuid.UUID(r) for r in routines]
                    chunk.samples.append(SampleUser(uuid.UUID(user), email, zone, ids))
                    taken += 1
            yield chunk

    def person(
        self, rng: random.Random, out: dict[str, list[str]], index: int
    ) -> tuple[str, str, str, list[str]]:
        gb, created = rng.getrandbits, self.created
        zone = ZONES[rng.randrange(len(ZONES))]
        user = f"{gb(128) & UUID_MASK | UUID_V4:032x}"
        email = f"bench-{index:07d}@example.com"
        out["accounts_user"].append(
            f"{user}\t{self.password}\tf\tBench {index}\t{email}\t{zone}\t0\t"
            f"{created}\t{created}\t{NULL}\t{created}\tt\tf\t8\t{NULL}\n"
        )
        out["policy_policyacceptance"].append(
            f"{index + 1}\t{user}\t{self.version_id}\t{created}\n"
        )
        projects = []
        for i in range(rng.randint(1, 8)):
            project = f"{gb(128) & UUID_MASK | UUID_V4:032x}"
            projects.append(project)
            name = PROJECT_NAMES[i % len(PROJECT_NAMES)] + (f" {i}" if i >= 7 else "")
            out["tracking_project"].append(f"{project}\t{user}\t{name}\t#2f6f5e\tf\t{created}\n")
        tags = []
        for i in range(rng.choice((0, 2, 4, 8))):
            tags.append(self.next_tag)
            name = TAG_NAMES[i % len(TAG_NAMES)] + (f"-{i}" if i >= 7 else "")
            out["tracking_tag"].append(f"{self.next_tag}\t{user}\t{name}\n")
            self.next_tag += 1
        tagging = 0.5 if tags and rng.random() < 0.5 else 0.0
        self.entries(rng, out, user, zone, index, projects, tags if tagging else [])
        routine_ids = self.routines(rng, out, user, index)
        return user, email, zone, routine_ids

    def entries(
        self,
        rng: random.Random,
        out: dict[str, list[str]],
        user: str,
        zone: str,
        index: int,
        projects: list[str],
        tags: list[int],
    ) -> None:
        days, clock, gb = self.shape.days, self.clock, rng.getrandbits
        midnight, weekend, stamp = clock.midnight[zone], clock.weekend, clock.stamp
        rand, randint, choice = rng.random, rng.randint, rng.choice
        lines, links = out["tracking_timeentry"], out["tracking_timeentry_tags"]
        for _ in range(self.shares.entries[index]):
            back = randint(1, days)
            while weekend[back] and rand() < 0.7:  # weekdays ~3x as likely as a weekend day
                back = randint(1, days)
            if back >= 2 and rand() < 0.01:  # late in the evening, across local midnight
                start = midnight[back] + 23 * 60 + randint(0, 5) * 10
                minutes = randint(30, 150)
            else:
                start = midnight[back] + randint(7 * 12, 20 * 12 - 1) * 5
                minutes = randint(10, 180)
            end = stamp(start + minutes)
            entry = f"{gb(128) & UUID_MASK | UUID_V4:032x}"
            project = choice(projects) if rand() < 0.85 else NULL
            lines.append(
                f"{entry}\t{user}\t{choice(DESCRIPTIONS)}\t{project}\t{stamp(start)}\t{end}\t"
                f"{NULL}\t{NULL}\t{end}\n"
            )
            if tags and rand() < 0.8:
                for tag in rng.sample(tags, 1 if rand() < 0.7 else 2):
                    links.append(f"{self.next_link}\t{entry}\t{tag}\n")
                    self.next_link += 1

    def routines(
        self, rng: random.Random, out: dict[str, list[str]], user: str, index: int
    ) -> list[str]:
        count, left = self.shares.routines[index], self.shares.checkins[index]
        clock = self.clock
        starts_on = clock.day[CHECKIN_WINDOW + 1]
        created = clock.stamp(clock.midnight["UTC"][CHECKIN_WINDOW + 1])
        evening = self.evening
        checkin_id = self.checkin_starts[index] + 1
        ids = []
        for r in range(count):
            routine = f"{rng.getrandbits(128) & UUID_MASK | UUID_V4:032x}"
            ids.append(routine)
            kind = KINDS[r % len(KINDS)]
            name = ROUTINE_NAMES[r % len(ROUTINE_NAMES)]
            numeric = name == "Drink water"
            target, unit = ("8.0", "glasses") if numeric else (NULL, "")
            days = 31 if kind == "weekdays" else 0
            number = {"times_per_week": 3, "every_n_days": 2}.get(kind, 0)
            label = name if r < len(ROUTINE_NAMES) else f"{name} {r}"
            out["tracking_routine"].append(
                f"{routine}\t{user}\t{label}\t{kind}\t{days}\t{number}\t{starts_on}\t{target}\t"
                f"{unit}\tf\t{created}\t{NULL}\t{NULL}\n"
            )
            mine = left // (count - r)  # the person's check-ins spread over their routines
            left -= mine
            for back in sorted(rng.sample(range(1, CHECKIN_WINDOW + 1), mine), reverse=True):
                roll = rng.random()
                status = "done" if roll < 0.9 else "skipped" if roll < 0.97 else "note"
                value = f"{rng.randint(4, 10)}.0" if numeric and status == "done" else NULL
                note = "busy day" if status == "note" else ""
                out["tracking_checkin"].append(
                    f"{checkin_id}\t{routine}\t{user}\t{clock.day[back]}\t{status}\t"
                    f"{value}\t{note}\t{evening[back]}\n"
                )
                checkin_id += 1
        return ids
