"""Core's tables in the personal-data registry (P01): nothing personal."""

from routinie.core.data_rules import KEY, TASK_RETENTION, Table, not_personal

TABLES = [
    Table(
        "core.TaskHeartbeat",
        "the heartbeat of a running background task",
        None,
        {
            "task_id": KEY,
            "worker_id": not_personal("which worker runs the task", TASK_RETENTION),
            "beat_at": not_personal("when that worker last showed it is alive", TASK_RETENTION),
        },
    ),
    Table(
        "core.TaskMail",
        "which background task already sent its e-mail",
        None,
        {
            "task_id": KEY,
            "sent_at": not_personal("so a task run again sends nothing twice", TASK_RETENTION),
        },
    ),
]
