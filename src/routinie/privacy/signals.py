"""Export archives on disk follow their exports (P18, P20).

An account's export rows go by cascade; their files need `remove_export_archives`. It runs for
every deletion of an account made through Django (erase_account, the purge of sign-ups never
confirmed, the admin) and removes the files once the deletion is committed. Each such deletion
is also recorded in the erasure journal, so it survives the restore of an older backup. A build
task that failed for good gives its export up, and a starting task worker removes the partial
files of runs that are over (a worker killed while it built)."""

import uuid
from contextlib import suppress
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from routinie.accounts.models import User
from routinie.core.task_worker import worker_starting
from routinie.privacy.models import DataExport


@receiver(pre_delete, sender=User, dispatch_uid="privacy-remove-export-archives")
def remove_export_archives(sender: Any, instance: User, **kwargs: Any) -> None:
    exports = list(DataExport.objects.filter(user=instance))
    if exports:
        transaction.on_commit(lambda: _delete_files(exports))


def _delete_files(exports: list[DataExport]) -> None:
    from routinie.privacy.export_archive import delete_archive_file

    for export in exports:
        delete_archive_file(export)


@receiver(post_delete, sender=User, dispatch_uid="privacy-journal-erasure")
def journal_erasure(sender: Any, instance: User, **kwargs: Any) -> None:
    """Every deletion of an account is recorded in the erasure journal before it commits
    (privacy/erasure_journal.py): a restore of an older backup applies it again."""
    from routinie.privacy.erasure_journal import record

    record(instance.pk)


@receiver(task_finished, dispatch_uid="privacy-give-up-failed-export")
def give_up_export_of_failed_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A build task that failed for good (its workers kept dying, or it was stopped) gives its
    export up: failed, files removed, so a new one may be asked for at once."""
    from routinie.privacy.tasks import build_export

    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != build_export.module_path or not task_result.args:
        return
    from routinie.privacy.export_archive import give_up

    with suppress(ValueError):  # not an export id: there is nothing to give up
        give_up(uuid.UUID(str(task_result.args[0])))


@receiver(worker_starting, dispatch_uid="privacy-remove-dead-partial-exports")
def remove_partial_exports(sender: Any, **kwargs: Any) -> None:
    """A starting worker removes the half-written archives of runs that are over."""
    from routinie.privacy.export_archive import remove_partial_files_of_finished_runs

    remove_partial_files_of_finished_runs()
