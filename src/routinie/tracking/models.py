"""Tracking: projects, tags, time entries (the timer is the entry without an end), routines,
their steps and check-ins. Every row carries its owner, and the invariants are constraints."""

import uuid
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.timezone import now

from routinie.core.date_range import EARLIEST_MOMENT, LATEST_MOMENT

Owner = settings.AUTH_USER_MODEL
# Each table's `user` key has no index of its own (db_index=False): an index or unique
# constraint of the table starts with the user and serves every `user_id = ...` lookup, the
# account's cascade included. The one-column index was a second copy to write on every insert,
# and at the `full` data set PostgreSQL preferred it to the (user, start) index because it is
# smaller, then filtered 65,700 of a report's 73,000 rows (docs/performance.md).
_ST = TypeVar("_ST")  # django-stubs' set and get types, filled in by its plugin (null or not)
_GT = TypeVar("_GT")


class EntryTimeField(models.DateTimeField[_ST, _GT]):
    """An entry's start or end. Every write is held to `core.date_range` by the services; a
    row stored before that rule (year 1, year 9999) is read at the range's nearest edge, so
    the person's pages, lists and timer show it instead of overflowing Python's dates when it
    is moved to their zone. A plain DateTimeField in the database and in migrations."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return min(max(value, EARLIEST_MOMENT), LATEST_MOMENT)
        return value

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class Project(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="projects", db_index=False
    )
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=7, default="#2f6f5e")
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="project_name_unique_per_user"),
        ]
        indexes = [models.Index(fields=["user", "created_at", "id"])]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="tags", db_index=False)
    name = models.CharField(max_length=50)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="tag_unique_per_user")]

    def __str__(self) -> str:
        return self.name


class Routine(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily"
        WEEKDAYS = "weekdays"
        TIMES_PER_WEEK = "times_per_week"
        EVERY_N_DAYS = "every_n_days"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="routines", db_index=False
    )
    name = models.CharField(max_length=100)
    schedule_kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DAILY)
    # weekdays: the chosen days as a bit mask (bit 0 = Monday … bit 6 = Sunday)
    schedule_days = models.PositiveSmallIntegerField(default=0)
    # times_per_week: the count; every_n_days: n
    schedule_number = models.PositiveSmallIntegerField(default=0)
    # every_n_days counts from this day (in the user's time zone)
    starts_on = models.DateField()
    target_value = models.FloatField(null=True, blank=True)
    target_unit = models.CharField(max_length=30, blank=True, default="")
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    # The e-mail reminder (`tracking.reminders`): a wall time in the person's zone, and the
    # UTC instant it next comes (kept so the job finds what is due with one index range scan).
    reminder_time = models.TimeField(null=True, blank=True)
    reminder_next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "created_at", "id"]),
            models.Index(
                fields=["reminder_next_at"],
                condition=Q(reminder_next_at__isnull=False),
                name="routine_reminder_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gt=0),
                name="routine_target_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    duration_seconds = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="step_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TimeEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="time_entries", db_index=False
    )
    description = models.CharField(max_length=500, blank=True, default="")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    start = EntryTimeField()
    end = EntryTimeField(null=True, blank=True)
    # Set when the entry records a step of a routine run ("start routine").
    routine = models.ForeignKey(
        Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    routine_step = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        # Newest first, as every list reads them (start, then id, both descending).
        indexes = [
            models.Index(fields=["user", "-start", "-id"], name="entry_user_newest_first"),
            # The running timers only, oldest first: the forgotten-timer job's one query.
            models.Index(fields=["start"], condition=Q(end__isnull=True), name="entry_running"),
        ]
        constraints = [
            # At most one running timer per user, in the database itself.
            models.UniqueConstraint(
                fields=["user"], condition=Q(end__isnull=True), name="one_running_timer_per_user"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="entry_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.description or "(no description)"


class EntryBreak(models.Model):
    """A pause inside a time entry: the entry's worked time leaves it out. Open (no end) while
    the timer is paused: at most one per entry. The database holds each break inside its entry
    (triggers of migration 0006: a CHECK cannot read another table) and its end after its start."""

    # No one-column index on either key: (entry, start) and (user, start) serve them.
    entry = models.ForeignKey(
        TimeEntry, on_delete=models.CASCADE, related_name="breaks", db_index=False
    )
    # The entry's owner, copied: a report finds the person's breaks in its range by the
    # (user, start) index at once, instead of probing the breaks of every entry.
    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="entry_breaks", db_index=False
    )
    start = EntryTimeField()
    end = EntryTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["entry", "start"], name="break_entry_start"),
            models.Index(fields=["user", "start"], name="break_user_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(end__isnull=True), name="one_open_break_per_entry"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="break_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"break {self.start:%H:%M}"


class CheckIn(models.Model):
    class Status(models.TextChoices):
        DONE = "done"
        SKIPPED = "skipped"
        NOTE = "note"

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices)
    value = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["routine", "date"], name="one_checkin_per_day"),
        ]
        indexes = [models.Index(fields=["user", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.status}"


# The longest goal of each period: every second of a week, of the longest month.
WEEK_SECONDS = 7 * 24 * 3600
MONTH_SECONDS = 31 * 24 * 3600


class Goal(models.Model):
    """A target of worked hours a week or a month, for one project or one tag (`tracking.goals`).
    A goal counts a project of its owner or a tag by its name (the tag need not exist yet); it
    goes with its project. The database holds every rule: one target, a length above 0 and at
    most the period, one goal per period and target."""

    class Period(models.TextChoices):
        WEEK = "week"
        MONTH = "month"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="goals", db_index=False)
    period = models.CharField(max_length=5, choices=Period.choices)
    seconds = models.PositiveIntegerField()
    # No one-column index: the unique (project, period) constraint below serves the cascade.
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
        db_index=False,
    )
    tag = models.CharField(max_length=50, blank=True, default="")
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at", "id"], name="goal_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(tag=""))
                | (Q(project__isnull=True) & ~Q(tag="")),
                name="goal_one_target",
            ),
            models.CheckConstraint(
                condition=Q(seconds__gt=0)
                & (
                    Q(period="week", seconds__lte=WEEK_SECONDS)
                    | Q(period="month", seconds__lte=MONTH_SECONDS)
                ),
                name="goal_seconds_within_period",
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=Q(project__isnull=False),
                name="goal_one_per_project_period",
            ),
            models.UniqueConstraint(
                fields=["user", "tag", "period"],
                condition=~Q(tag=""),
                name="goal_one_per_tag_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seconds} s a {self.period}"


class CalendarFeed(models.Model):
    """A person's secret calendar address (`tracking.feed`): only a keyed hash of its token is
    kept; making a new one replaces this row, revoking the old address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(Owner, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    include_entries = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"calendar feed since {self.created_at:%Y-%m-%d}"


class ReminderDigest(models.Model):
    """A person's daily digest e-mail (`tracking.reminders`): at `time` in their zone, one
    message listing every routine due that day and not yet checked in. While it is on, the
    per-routine reminders fold into it."""

    user = models.OneToOneField(Owner, on_delete=models.CASCADE, related_name="reminder_digest")
    time = models.TimeField()
    next_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["next_at"], name="digest_due")]

    def __str__(self) -> str:
        return f"digest at {self.time:%H:%M}"


class SentReminder(models.Model):
    """A reminder e-mail sent: recorded with the send (`core.mail_once`), so each routine's
    reminder (or a person's digest, `routine` empty) goes at most once per local day."""

    user = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="sent_reminders", db_index=False
    )
    routine = models.ForeignKey(
        Routine, null=True, blank=True, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "day"], name="sent_reminder_user_day"),
            models.Index(fields=["sent_at"], name="sent_reminder_sent_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "day"],
                condition=Q(routine__isnull=False),
                name="one_reminder_per_routine_per_day",
            ),
            models.UniqueConstraint(
                fields=["user", "day"],
                condition=Q(routine__isnull=True),
                name="one_digest_per_person_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"reminder of {self.day}"


class ForgottenTimer(models.Model):
    """The forgotten-timer reminder of one running entry (`tracking.forgotten`): when its one
    e-mail went (the entry is the key: never a second one) and when the person said the timer
    is right ("keep it running": no banner for this entry any more). Deleted with the entry."""

    entry = models.OneToOneField(
        TimeEntry, on_delete=models.CASCADE, primary_key=True, related_name="forgotten"
    )
    user = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="forgotten_timers")
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The person's last activity when the e-mail went (if after the start): "the time I left",
    # kept so that coming back (a write) does not move it.
    left_at = models.DateTimeField(null=True, blank=True)
    kept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"forgotten timer {self.entry_id}"
