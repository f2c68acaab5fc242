"""Erasure (P18): "delete my account" removes every personal row of that user at once, driven
by the registry so nothing is forgotten. What the law obliges us to keep is kept without name
or e-mail address, and listed here so the confirmation page can say exactly what and why."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django_tasks_db.models import DBTaskResult

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.privacy.owned_rows import deletable_at_once, delete_owned_rows
from routinie.privacy.registry import TABLES


@dataclass(frozen=True)
class Kept:
    what: str
    why: str


# What survives an erasure, unlinked from the person: shown before and after deleting.
KEPT_BY_LAW = [
    Kept(
        "Records of requests from authorities and of any data released to them",
        "The law obliges us to account for what we released. They keep no name or e-mail "
        "address and no longer point to your account.",
    ),
    Kept(
        "Invoices (number, date, amount, plan)",
        "Romanian accounting law keeps invoices for ten years; they are kept without your "
        "name or e-mail address and no longer point to your account.",
    ),
]


def owned_tables() -> list[tuple[Any, str]]:
    """(model, owner path) of every registry table that belongs to a user."""
    return [(apps.get_model(t.label), t.owner) for t in TABLES if t.owner]


def _admin_log_about(user: User) -> int:
    """Staff change-log lines naming the user's rows (their text may quote the data)."""
    deleted = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()[0]
    for model, owner in owned_tables():
        content_type = ContentType.objects.get_for_model(model)
        logged = LogEntry.objects.filter(content_type=content_type)
        if not logged.exists():
            continue
        ids = [
            str(pk)
            for pk in model._default_manager.filter(**{owner: user.pk}).values_list("pk", flat=True)
        ]
        for start in range(0, len(ids), 1000):
            deleted += logged.filter(object_id__in=ids[start : start + 1000]).delete()[0]
    return deleted


def _queued_tasks_of(user: User) -> int:
    """Background tasks whose arguments name the user (their results may too)."""
    tasks = DBTaskResult.objects.annotate(text=Cast("args_kwargs", TextField())).filter(
        text__contains=str(user.pk)
    )
    return tasks.delete()[0]


def erase_account(*, user: User, password: str) -> list[Kept]:
    """Delete the account and everything personal of it, in one transaction."""
    if not password or not user.check_password(password):
        raise InvalidInput.on(
            "password", "Your password is not right; nothing was deleted.", "wrong_password"
        )
    _erase(user)
    return KEPT_BY_LAW


def erase_by_staff(*, user: User) -> None:
    """Staff delete an account in the admin: the same erasure, without the person's password
    (a plain delete would leave the change log's lines about them, which quote their name)."""
    _erase(user)


def erase_again(*, account_id: str) -> bool:
    """Apply a recorded erasure again (after a restore, privacy/restore.py): the account and
    everything personal of it, as `erase_account` does. False when there is no such account."""
    try:
        user = User.objects.filter(pk=account_id).first()
    except ValidationError:  # not an id this table could hold
        return False
    if user is None:
        return False
    _erase(user)
    return True


def _erase(user: User) -> None:
    with transaction.atomic():
        _admin_log_about(user)
        _queued_tasks_of(user)
        # The largest tables (time entries and their tags) one statement each: the cascade
        # below would read and delete them a hundred rows at a time.
        for model, owner in owned_tables():
            if deletable_at_once(model, owner):
                delete_owned_rows(model, owner, user.pk)
        # Every owned table points to the user with on_delete=CASCADE (checked by a test), and
        # records kept by law with SET_NULL, so this one delete removes the rest at once.
        # Its export archives' files are removed after the commit, and the erasure is recorded
        # in the erasure journal before it (privacy/signals.py).
        user.delete()
