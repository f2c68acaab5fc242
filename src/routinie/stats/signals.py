"""Erasure (P05, P18): deleting an account deletes its key-figure row in the same transaction.

The row is keyed by a pseudonym, not by a foreign key, so no cascade reaches it: this receiver
does. It runs for every deletion made through Django (erase_account, the purge of sign-ups
never confirmed, the admin)."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from routinie.accounts.models import User


@receiver(post_delete, sender=User, dispatch_uid="stats-erase-key-figures")
def erase_key_figures(sender: Any, instance: User, **kwargs: Any) -> None:
    from routinie.stats.keyfigures import delete_key_figures_of

    delete_key_figures_of(user_id=instance.pk)
