"""An account's export archives leave the disk with the account, however it is deleted: the
user's own erasure, the purge of sign-ups never confirmed (accounts' retention rule, which
cannot know of exports), or staff in the admin (P18, P20)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from tests.plugin import run_queued_tasks

from routinie.accounts.models import User
from routinie.privacy.erasure import erase_account
from routinie.privacy.export_archive import archive_path, start_export
from routinie.privacy.models import DataExport
from routinie.privacy.retention import purge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _archive_of(user: User) -> Path:
    export = start_export(user=user)
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    path = archive_path(export)
    assert path.exists()
    return path


def test_erasing_the_account_removes_its_archive(make_user):
    user, password = make_user()
    other, _ = make_user()
    archive, kept = _archive_of(user), _archive_of(other)
    erase_account(user=user, password=password)
    assert not archive.exists()
    assert kept.exists()


@pytest.mark.promise("P20")
def test_purging_a_sign_up_never_confirmed_removes_its_archive(make_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        unconfirmed, _ = make_user()
        archive = _archive_of(unconfirmed)
        clock.shift(timedelta(days=31))
        assert purge()["sign-ups never confirmed"] == 1
    assert not User.objects.filter(pk=unconfirmed.pk).exists()
    assert not archive.exists()


def test_deleting_the_account_in_the_admin_removes_its_archive(make_user, client):
    user, _ = make_user()
    archive = _archive_of(user)
    staff = User.objects.create_superuser(email="root@example.test", password="x", name="Root")
    client.force_login(staff)
    page = client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not archive.exists()
