"""A data export whose worker dies (P18, issue 15): the task runs again and takes the export
over from 0 %, the dead run's partial file goes, a frozen run that wakes changes nothing, an
export whose task is gone never blocks a new one, and no partial file outlives its run."""

import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.plugin import run_queued_tasks

from routinie.accounts.models import User
from routinie.privacy import export_archive
from routinie.privacy.export_archive import (
    archive_path,
    build_archive,
    exports_dir,
    partial_path,
    start_export,
)
from routinie.privacy.models import DataExport
from routinie.privacy.tasks import build_export

pytestmark = pytest.mark.django_db(transaction=True)

Status = DataExport.Status
LOST_AFTER = timedelta(seconds=120)
LATER = LOST_AFTER + timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.TASK_LOST_AFTER_SECONDS = LOST_AFTER.total_seconds()
    settings.TASK_MAX_ATTEMPTS = 3


def _task_of(export: DataExport) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.get(
        task_path=build_export.module_path, args_kwargs__args__0=str(export.pk)
    )


def _died_while_building(user: User, *, claims: int = 1) -> DataExport:
    """An export whose worker was killed at 45 %: its task RUNNING, a partial file on disk."""
    export = start_export(user=user)
    task = _task_of(export)
    for n in range(claims):
        task.claim(f"dead-worker-{n}")
    DataExport.objects.filter(pk=export.pk).update(status=Status.BUILDING, attempt=1, progress=45)
    exports_dir().mkdir(parents=True, exist_ok=True)
    partial_path(export, 1).write_bytes(b"PK half an archive")
    export.refresh_from_db()
    return export


def _files() -> list[str]:
    return sorted(p.name for p in exports_dir().iterdir())


def test_the_run_again_takes_the_export_over_from_zero_and_removes_the_partial_file(make_user):
    user, _ = make_user()
    export = _died_while_building(user)
    seen: list[tuple[int, int, list[str]]] = []
    real = export_archive._write_json

    def look_when_it_starts(archive: Any, part: Any, user_id: Any) -> int:
        if not seen:
            row = DataExport.objects.get(pk=export.pk)
            seen.append((row.attempt, row.progress, _files()))
        return real(archive, part, user_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_archive, "_write_json", look_when_it_starts)
        with time_machine.travel(timezone.now() + LATER):
            run_queued_tasks()  # a new worker: reclaims the task, runs it again

    assert seen == [(2, 0, [f"{export.pk}.2.zip.part"])]  # its own file, from 0 %
    export.refresh_from_db()
    assert export.status == Status.READY
    assert export.attempt == 2
    assert _files() == [f"{export.pk}.zip"]
    with zipfile.ZipFile(archive_path(export)) as archive:
        assert archive.testzip() is None
        assert "README.txt" in archive.namelist()
    assert len(_task_of(export).worker_ids) == 2


def test_a_second_task_for_an_export_being_built_leaves_it_alone(make_user):
    user, _ = make_user()
    export = _died_while_building(user)  # as far as anyone knows, its worker is alive
    assert build_archive(str(export.pk)) is False  # a duplicate in the queue (first attempt)
    export.refresh_from_db()
    assert (export.status, export.attempt, export.progress) == (Status.BUILDING, 1, 45)
    assert _files() == [f"{export.pk}.1.zip.part"]


def test_a_frozen_run_that_wakes_after_another_took_over_changes_nothing(make_user):
    user, _ = make_user()
    export = start_export(user=user)
    real = export_archive._write_json
    other_run: list[bool] = []
    frozen = False

    def freeze_then_wake(archive: Any, part: Any, user_id: Any) -> int:
        nonlocal frozen
        if part.base == "tracking_project" and not frozen:
            frozen = True  # while this run is frozen, the queue gives its task to another
            other_run.append(build_archive(str(export.pk), take_over=True))
        return real(archive, part, user_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_archive, "_write_json", freeze_then_wake)
        assert build_archive(str(export.pk)) is False  # the woken run stops
    assert other_run == [True]
    export.refresh_from_db()
    assert (export.status, export.attempt) == (Status.READY, 2)
    assert _files() == [f"{export.pk}.zip"]
    assert export.size_bytes == archive_path(export).stat().st_size
    with zipfile.ZipFile(archive_path(export)) as archive:
        assert archive.testzip() is None


def test_a_task_that_failed_for_good_gives_its_export_up(make_user):
    user, _ = make_user()
    export = _died_while_building(user, claims=3)
    with time_machine.travel(timezone.now() + LATER):
        run_queued_tasks()  # the worker's start: its last attempt is used up
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert _task_of(export).status == "FAILED"
    assert _files() == []
    assert start_export(user=user).pk != export.pk  # a new one at once


def test_a_new_request_never_returns_an_export_whose_task_is_gone(make_user):
    user, _ = make_user()
    export = _died_while_building(user)
    DBTaskResult.objects.filter(pk=_task_of(export).pk).update(status="FAILED")
    fresh = start_export(user=user)  # minutes after, not hours
    assert fresh.pk != export.pk
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert _files() == []


def test_a_new_request_returns_the_export_whose_task_still_runs_however_long(make_user):
    user, _ = make_user()
    export = _died_while_building(user)
    DataExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert start_export(user=user).pk == export.pk
    assert DataExport.objects.filter(user=user).count() == 1


def test_the_export_and_its_task_are_queued_together(make_user):
    user, _ = make_user()
    export = start_export(user=user)
    assert _task_of(export).status == "READY"


def test_a_starting_worker_removes_the_partial_files_of_runs_that_are_over(make_user):
    user, _ = make_user()
    other, _ = make_user(email="other@example.test")
    building = _died_while_building(user)
    DataExport.objects.filter(pk=building.pk).update(attempt=2)
    ready = DataExport.objects.create(user=other, status=Status.READY)
    gone = DataExport.objects.create(user=other)
    DataExport.objects.filter(pk=gone.pk).delete()
    for path in (
        partial_path(building, 2),  # the current run's: kept
        partial_path(ready, 1),
        partial_path(gone, 3),
        archive_path(ready),  # a finished archive: kept
        exports_dir() / "notes.part",  # not an export's: left alone
    ):
        path.write_bytes(b"x")
    run_queued_tasks()  # only its start matters here (the building export's task is RUNNING)
    assert _files() == sorted(
        [f"{building.pk}.2.zip.part", f"{ready.pk}.zip", "notes.part"],
    )
