"""The personal-data registry (P01, P20): for every field of every model, whether it is
personal, its category, its purpose and how long it is kept.

This is the one place that says what Routinie keeps. The system check in `checks.py` fails
`routinie check`, the server start and the tests when a field of any installed model is
missing here (or listed here but gone), and `/privacy/data/` and the staff's record of
processing activities are generated from it: nothing about data is written twice by hand.
The support, blog and statistics apps declare their own tables in their `personal_data.py`
(with the vocabulary of `data_rules.py`); they are gathered here.
"""

from routinie.blog.personal_data import TABLES as BLOG_TABLES
from routinie.privacy.data_rules import (
    ACCOUNT,
    CONSENT,
    CONSENT_RETENTION,
    CONTENT,
    EXPORT_RETENTION,
    KEY,
    LEGAL_RETENTION,
    LINK,
    OPERATIONS,
    SECURITY,
    SESSION_RETENTION,
    SETTINGS,
    TASK_RETENTION,
    USAGE,
    Rule,
    Table,
    not_personal,
)
from routinie.stats.personal_data import TABLES as STATS_TABLES
from routinie.support.personal_data import TABLES as SUPPORT_TABLES

TABLES: list[Table] = [
    Table(
        "accounts.User",
        "your account",
        "pk",
        {
            "id": KEY,
            "name": Rule(ACCOUNT, "to address you in the app and in e-mails"),
            "email": Rule(ACCOUNT, "to sign you in and to write to you (reminders, notices)"),
            "password": Rule(
                SECURITY, "to check your password: an Argon2id hash, never the password"
            ),
            "email_confirmed_at": Rule(
                ACCOUNT, "to know the address is yours; unconfirmed sign-ups are deleted"
            ),
            "timezone": Rule(SETTINGS, "so your days and weeks start when yours do"),
            "week_start": Rule(SETTINGS, "the first day of your week in reports"),
            "password_changed_at": Rule(SECURITY, "to remind you when your password gets old"),
            "password_reminder_sent_at": Rule(SECURITY, "to send that reminder once per period"),
            "created_at": Rule(ACCOUNT, "to know how old the account is (unconfirmed sign-ups)"),
            "is_active": not_personal("whether the account may sign in"),
            "is_staff": not_personal("whether the account belongs to Wesrom's staff"),
            "is_superuser": not_personal("whether a staff account has every permission"),
            "groups": not_personal("staff permission groups"),
            "user_permissions": not_personal("staff permissions"),
        },
    ),
    Table(
        "accounts.User_groups",
        "staff permission groups of an account",
        "user",
        {"id": KEY, "user": LINK, "group": LINK},
    ),
    Table(
        "accounts.User_user_permissions",
        "staff permissions of an account",
        "user",
        {"id": KEY, "user": LINK, "permission": LINK},
    ),
    Table(
        "accounts.ApiToken",
        "your personal API tokens",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "label": Rule(SECURITY, "so you can tell your tokens apart"),
            "token_hash": Rule(SECURITY, "to check a token: a SHA-256 hash, never the token"),
            "created_at": Rule(SECURITY, "shown in your token list"),
            "last_used_at": Rule(
                USAGE, "so you can spot a token you no longer use (to the minute)"
            ),
        },
    ),
    Table(
        "accounts.UserSession",
        "the sessions that keep a browser signed in",
        "user",
        {
            "session_key": Rule(SECURITY, "the secret in the session cookie", SESSION_RETENTION),
            "session_data": Rule(
                SECURITY, "who is signed in, and the session's clocks", SESSION_RETENTION
            ),
            "expire_date": Rule(SECURITY, "when the session dies", SESSION_RETENTION),
            "public_id": Rule(SECURITY, "names a session in your sessions list", SESSION_RETENTION),
            "user": LINK,
            "device": Rule(
                USAGE,
                "a rough device name for your sessions list; no IP address",
                SESSION_RETENTION,
            ),
            "created_at": Rule(USAGE, "when the session began", SESSION_RETENTION),
            "last_active": Rule(
                USAGE, "last activity, to the minute, for the idle timeout", SESSION_RETENTION
            ),
        },
    ),
    Table(
        "policy.PolicyVersion",
        "the versions of the privacy policy",
        None,
        {
            "id": KEY,
            "version": not_personal("the version number", "kept for ever: the policy's history"),
            "effective_at": not_personal("when the version takes effect", "kept for ever"),
            "source": not_personal("the text staff wrote, with fact placeholders", "kept for ever"),
            "text": not_personal("the policy's text", "kept for ever"),
            "summary": not_personal("what changed", "kept for ever"),
            "announced_at": not_personal("when notice e-mails were queued", "kept for ever"),
            "reduces_rights": not_personal(
                "whether users must be told by e-mail first", "kept for ever"
            ),
            "published_at": not_personal("when staff published it", "kept for ever"),
        },
    ),
    Table(
        "policy.PolicyAcceptance",
        "which version of the privacy policy you accepted",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "accepted_at": Rule(CONSENT, "proof of which policy you accepted, and when"),
        },
    ),
    Table(
        "policy.PolicyNotice",
        "the e-mails telling you of a change to the privacy policy",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "sent_at": Rule(CONSENT, "proof that you were told of a change before it took effect"),
            "message_id": Rule(OPERATIONS, "to send each notice once and thread replies to it"),
        },
    ),
    Table(
        "policy.PolicyBannerShown",
        "that you saw the banner about a new privacy policy",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "shown_at": Rule(USAGE, "to show the banner about a new version only once"),
        },
    ),
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
    Table(
        "privacy.DataExport",
        "your data exports",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "status": not_personal("whether the archive is ready", EXPORT_RETENTION),
            "progress": not_personal("the progress bar", EXPORT_RETENTION),
            "file_name": Rule(OPERATIONS, "where the archive lies on the server", EXPORT_RETENTION),
            "size_bytes": not_personal("the archive's size", EXPORT_RETENTION),
            "created_at": Rule(USAGE, "when you asked for it", EXPORT_RETENTION),
            "finished_at": Rule(USAGE, "when it was ready", EXPORT_RETENTION),
            "expires_at": not_personal("when it is deleted", EXPORT_RETENTION),
        },
    ),
    Table(
        "privacy.PurgeRun",
        "what the retention purge removed, as counts",
        None,
        {
            "id": KEY,
            "started_at": not_personal("when the purge ran", "one year"),
            "finished_at": not_personal("when it ended", "one year"),
            "dry_run": not_personal("whether it only counted", "one year"),
            "counts": not_personal("how many rows of each kind it removed", "one year"),
        },
    ),
    Table(
        "privacy.Consent",
        "your written permissions to disclose data",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "recipient": Rule(CONSENT, "who may receive the data", CONSENT_RETENTION),
            "purpose": Rule(CONSENT, "what for", CONSENT_RETENTION),
            "scope": Rule(CONSENT, "which kinds of data", CONSENT_RETENTION),
            "evidence": Rule(CONSENT, "your written request, as proof", CONSENT_RETENTION),
            "granted_at": Rule(CONSENT, "when you gave it", CONSENT_RETENTION),
            "revoked_at": Rule(CONSENT, "when you took it back", CONSENT_RETENTION),
        },
    ),
    Table(
        "privacy.LegalRequest",
        "requests from authorities",
        None,
        {
            "id": KEY,
            "user": LINK,
            "authority": not_personal("who asked", LEGAL_RETENTION),
            "legal_basis": not_personal("the law that obliges us", LEGAL_RETENTION),
            "reference": not_personal("the authority's reference", LEGAL_RETENTION),
            "asked_for": Rule(OPERATIONS, "what was asked", LEGAL_RETENTION),
            "scope": not_personal(
                "which kinds of data the law obliges us to release", LEGAL_RETENTION
            ),
            "received_at": not_personal("when it arrived", LEGAL_RETENTION),
            "granted": not_personal("whether we released anything", LEGAL_RETENTION),
        },
    ),
    Table(
        "privacy.Disclosure",
        "every release of your data to someone else",
        None,
        {
            "id": KEY,
            "user": LINK,
            "consent": LINK,
            "legal_request": LINK,
            "released_by": LINK,
            "recipient": Rule(OPERATIONS, "who received it", LEGAL_RETENTION),
            "categories": Rule(OPERATIONS, "which kinds of data", LEGAL_RETENTION),
            "released_at": Rule(OPERATIONS, "when", LEGAL_RETENTION),
        },
    ),
    Table(
        "privacy.StaffAccess",
        "when staff looked at your data",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "staff": LINK,
            "what": Rule(OPERATIONS, "what staff looked at (shown in your export)"),
            "at": Rule(OPERATIONS, "when"),
        },
    ),
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
    *SUPPORT_TABLES,
    *BLOG_TABLES,
    *STATS_TABLES,
]

BY_LABEL: dict[str, Table] = {t.label: t for t in TABLES}


def personal_fields() -> list[tuple[Table, str, Rule]]:
    """Every personal field of every table, in registry order."""
    return [(t, name, rule) for t in TABLES for name, rule in t.fields.items() if rule.personal]
