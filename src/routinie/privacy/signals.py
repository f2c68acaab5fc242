"""An account's export archives go with it (P18, P20).

The export rows go by cascade; their files on disk need this receiver. It runs for every
deletion of an account made through Django (erase_account, the purge of sign-ups never
confirmed, the admin) and removes the files once the deletion is committed. Each such deletion
is also recorded in the erasure journal, so it survives the restore of an older backup."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from routinie.accounts.models import User
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
