"""The tracking app's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.core.data_rules import (
    CONTENT,
    KEY,
    LINK,
    SECURITY,
    SETTINGS,
    USAGE,
    Rule,
    Table,
    secret,
)

SENT_REMINDER_RETENTION = "30 days after it was sent, then purged"
WITH_ENTRY = "as long as its time entry; deleted with it (or with the account)"

TABLES: list[Table] = [
    Table(
        "tracking.Project",
        "your projects",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "name": Rule(CONTENT, "to group your time"),
            "color": Rule(CONTENT, "to show the project"),
            "archived": Rule(CONTENT, "to hide a finished project"),
            "created_at": Rule(CONTENT, "to list projects in order"),
        },
    ),
    Table(
        "tracking.Tag",
        "your tags",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "name": Rule(CONTENT, "to label your time"),
        },
    ),
    Table(
        "tracking.TimeEntry",
        "your time entries and timer",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "description": Rule(CONTENT, "what you worked on"),
            "project": LINK,
            "start": Rule(CONTENT, "when the entry started"),
            "end": Rule(CONTENT, "when it ended (empty while the timer runs)"),
            "routine": LINK,
            "routine_step": Rule(CONTENT, "which step of a routine the entry recorded"),
            "created_at": Rule(CONTENT, "when the entry was made"),
            "tags": LINK,
        },
    ),
    Table(
        "tracking.TimeEntry_tags",
        "the tags of your time entries",
        "timeentry__user",
        {"id": KEY, "timeentry": LINK, "tag": LINK},
    ),
    Table(
        "tracking.EntryBreak",
        "the breaks inside your time entries",
        "user",
        {
            "id": KEY,
            "entry": LINK,
            "user": LINK,
            "start": Rule(CONTENT, "when the break started"),
            "end": Rule(CONTENT, "when it ended (empty while the timer is paused)"),
        },
    ),
    Table(
        "tracking.ForgottenTimer",
        "the forgotten-timer reminders of your running timers",
        "user",
        {
            "entry": LINK,
            "user": LINK,
            "emailed_at": Rule(
                USAGE,
                "when we e-mailed you that the timer still ran (one e-mail per entry)",
                WITH_ENTRY,
            ),
            "left_at": Rule(
                USAGE,
                'your last activity before the timer was found forgotten: where "stop it at '
                'the time I left" stops it',
                WITH_ENTRY,
            ),
            "kept_at": Rule(
                SETTINGS,
                "when you said the long timer is right (no more banner for it)",
                WITH_ENTRY,
            ),
        },
    ),
    Table(
        "tracking.Routine",
        "your routines",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "name": Rule(CONTENT, "the routine's name"),
            "schedule_kind": Rule(CONTENT, "how often the routine is due"),
            "schedule_days": Rule(CONTENT, "the weekdays it is due"),
            "schedule_number": Rule(CONTENT, "times a week, or every how many days"),
            "starts_on": Rule(CONTENT, "the first day of the routine"),
            "target_value": Rule(CONTENT, "the daily target (e.g. 8)"),
            "target_unit": Rule(CONTENT, "the target's unit (e.g. glasses)"),
            "archived": Rule(CONTENT, "to hide a routine you stopped"),
            "created_at": Rule(CONTENT, "to list routines in order"),
            "reminder_time": Rule(SETTINGS, "when to e-mail you a reminder (empty: never)"),
            "reminder_next_at": Rule(SETTINGS, "when that reminder next comes, in UTC"),
        },
    ),
    Table(
        "tracking.RoutineStep",
        "the steps of your routines",
        "routine__user",
        {
            "id": KEY,
            "routine": LINK,
            "position": Rule(CONTENT, "the step's place in the routine"),
            "name": Rule(CONTENT, "the step's name"),
            "duration_seconds": Rule(CONTENT, "how long the step lasts"),
        },
    ),
    Table(
        "tracking.CheckIn",
        "your routines' check-ins",
        "user",
        {
            "id": KEY,
            "routine": LINK,
            "user": LINK,
            "date": Rule(CONTENT, "the day checked in"),
            "status": Rule(CONTENT, "done, skipped or a note"),
            "value": Rule(CONTENT, "the value for a numeric target"),
            "note": Rule(CONTENT, "your note"),
            "created_at": Rule(CONTENT, "when you checked in"),
        },
    ),
    Table(
        "tracking.Goal",
        "your goals of hours a week or a month",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "period": Rule(CONTENT, "whether the goal is for a week or a month"),
            "seconds": Rule(CONTENT, "how much time the goal asks for"),
            "project": LINK,
            "tag": Rule(CONTENT, "the tag whose time the goal counts"),
            "created_at": Rule(CONTENT, "to list goals in order"),
        },
    ),
    Table(
        "tracking.CalendarFeed",
        "your calendar address (the feed of due routines for calendar programs)",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "token_hash": secret(
                SECURITY, "to recognise your calendar address: a keyed hash, never the address"
            ),
            "include_entries": Rule(SETTINGS, "whether the feed shows your recent time entries"),
            "created_at": Rule(SECURITY, "when you made the address"),
        },
    ),
    Table(
        "tracking.ReminderDigest",
        "your daily reminder digest (one e-mail of the routines due that day)",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "time": Rule(SETTINGS, "when to e-mail you the digest"),
            "next_at": Rule(SETTINGS, "when the digest next comes, in UTC"),
        },
    ),
    Table(
        "tracking.SentReminder",
        "the reminder e-mails sent to you (so each goes once a day)",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "routine": LINK,
            "day": Rule(USAGE, "the day a reminder was for", SENT_REMINDER_RETENTION),
            "sent_at": Rule(USAGE, "when it was sent", SENT_REMINDER_RETENTION),
        },
    ),
]
