"""The personal-data registry (P01, P20): for every field of every model, whether it is
personal, its category, its purpose and how long it is kept.

This is the one place that says what Routinie keeps. Each app that owns models declares them
in its own `personal_data.py` (`TABLES`, in the vocabulary of `core/data_rules.py`);
`discover()` gathers them at start-up (`PrivacyConfig.ready`) by walking the installed apps,
the way the admin finds `admin.py`, so no app is imported here by name. This module declares
only the tables no app of ours owns: the task queue's and Django's own.

The system check in `checks.py` fails `routinie check`, the server start and the tests when a
field of any installed model is missing (or listed but gone), and `/privacy/data/`, the staff's
record of processing activities, the policy's facts, the export and erasure are generated from
`TABLES`: nothing about data is written twice by hand. A field flagged `secret` is the one list
of what is never shown, exported or released (`secret_fields()`).
"""

from collections import Counter

from django.core.exceptions import ImproperlyConfigured

from routinie.core.data_rules import (
    KEY,
    LINK,
    OPERATIONS,
    TASK_RETENTION,
    Rule,
    Table,
    not_personal,
)
from routinie.core.discovery import declared

# The task queue's table (django-tasks' database backend).
TASK_QUEUE_TABLES: list[Table] = [
    Table(
        "django_tasks_database.DBTaskResult",
        "the background-task queue (e-mails to send, exports to build)",
        None,
        {
            "id": KEY,
            "status": not_personal("the task's state", TASK_RETENTION),
            "enqueued_at": not_personal("queue order", TASK_RETENTION),
            "started_at": not_personal("queue bookkeeping", TASK_RETENTION),
            "finished_at": not_personal("queue bookkeeping", TASK_RETENTION),
            "args_kwargs": Rule(
                OPERATIONS,
                "the task's arguments: ids only, never names or e-mail addresses",
                TASK_RETENTION,
            ),
            "priority": not_personal("queue order", TASK_RETENTION),
            "task_path": not_personal("which task to run", TASK_RETENTION),
            "worker_ids": not_personal("which worker ran it", TASK_RETENTION),
            "queue_name": not_personal("which queue", TASK_RETENTION),
            "backend_name": not_personal("which backend", TASK_RETENTION),
            "run_after": not_personal("when to run it", TASK_RETENTION),
            "return_value": not_personal("the task's result (counts, true/false)", TASK_RETENTION),
            "exception_class_path": not_personal("the error of a failed task", TASK_RETENTION),
            "traceback": Rule(
                OPERATIONS, "the traceback of a failed task, redacted like the logs", TASK_RETENTION
            ),
        },
    ),
]

# Django's own tables: the admin's change log, permissions, groups and content types.
DJANGO_TABLES: list[Table] = [
    Table(
        "admin.LogEntry",
        "what staff changed in the admin",
        None,
        {
            "id": KEY,
            "action_time": Rule(
                OPERATIONS, "when staff made a change", "as long as the staff account exists"
            ),
            "user": LINK,
            "content_type": LINK,
            "object_id": Rule(
                OPERATIONS, "which row staff changed", "as long as the staff account exists"
            ),
            "object_repr": Rule(
                OPERATIONS, "the changed row's name", "as long as the staff account exists"
            ),
            "action_flag": not_personal("added, changed or deleted"),
            "change_message": Rule(
                OPERATIONS, "what staff changed", "as long as the staff account exists"
            ),
        },
    ),
    Table(
        "auth.Permission",
        "staff permissions",
        None,
        {
            "id": KEY,
            "name": not_personal("the permission"),
            "content_type": LINK,
            "codename": not_personal("the permission's code"),
        },
    ),
    Table(
        "auth.Group",
        "staff permission groups",
        None,
        {"id": KEY, "name": not_personal("the group"), "permissions": LINK},
    ),
    Table(
        "auth.Group_permissions",
        "permissions of staff groups",
        None,
        {"id": KEY, "group": LINK, "permission": LINK},
    ),
    Table(
        "contenttypes.ContentType",
        "Django's list of tables",
        None,
        {"id": KEY, "app_label": not_personal("the app"), "model": not_personal("the table")},
    ),
]

# Filled by `discover()` at start-up; importers hold these same objects.
TABLES: list[Table] = []
BY_LABEL: dict[str, Table] = {}

_HOME = "privacy"  # the label of this registry's own app


def declared_tables() -> list[tuple[str, list[Table]]]:
    """(app label, its `personal_data.TABLES`) for every installed app that declares any."""
    return declared("personal_data", "TABLES")


def discover() -> list[Table]:
    """Gather every app's tables, in INSTALLED_APPS order, into `TABLES` and `BY_LABEL`.

    The registry's own tables stand where they always have, around its own app's: the task
    queue's before privacy's, Django's after them. The order is what `/privacy/data/`, the
    record of processing and the published policy's facts list (a policy text once rendered
    must still match them, see `policy.facts.facts_drift`)."""
    gathered: list[Table] = []
    for label, tables in declared_tables():
        if label == _HOME:
            gathered += [*TASK_QUEUE_TABLES, *tables, *DJANGO_TABLES]
        else:
            gathered += tables
    twice = sorted(label for label, n in Counter(t.label for t in gathered).items() if n > 1)
    if twice:
        raise ImproperlyConfigured(f"Declared twice in the personal-data registry: {twice}")
    TABLES[:] = gathered
    BY_LABEL.clear()
    BY_LABEL.update({t.label: t for t in TABLES})
    return TABLES


def personal_fields() -> list[tuple[Table, str, Rule]]:
    """Every personal field of every table, in registry order."""
    return [(t, name, rule) for t in TABLES for name, rule in t.fields.items() if rule.personal]


def secret_fields() -> dict[str, frozenset[str]]:
    """The fields flagged secret, by table: never shown, exported or released."""
    found = {t.label: frozenset(n for n, r in t.fields.items() if r.secret) for t in TABLES}
    return {label: names for label, names in found.items() if names}
