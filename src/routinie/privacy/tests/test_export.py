"""The data export (P18): a complete archive of every personal field the registry lists, built
in the background with progress, downloadable by its owner for 7 days, never a secret in it."""

import csv
import io
import json
import tracemalloc
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone
from tests.fill import fill_every_table, sign_in
from tests.plugin import run_queued_tasks

from routinie.accounts.models import ApiToken, RecoveryCode, TwoFactor, User, UserSession
from routinie.core.errors import RateLimited
from routinie.privacy import export_archive
from routinie.privacy.erasure import erase_account
from routinie.privacy.export_archive import (
    archive_path,
    build_archive,
    delete_archive_file,
    start_export,
)
from routinie.privacy.export_parts import archive_parts
from routinie.privacy.models import DataExport
from routinie.privacy.registry import BY_LABEL, TABLES, secret_fields
from routinie.privacy.retention import purge
from routinie.privacy.tasks import build_export
from routinie.tracking.models import CalendarFeed, TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _export(user: User) -> DataExport:
    export = start_export(user=user)
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    return export


def archive_member(export: DataExport, name: str) -> bytes:
    with _zip(export) as archive:
        return archive.read(name)


def _zip(export: DataExport) -> zipfile.ZipFile:
    return zipfile.ZipFile(archive_path(export))


def _encoded(value: Any) -> Any:
    """A value as the JSON file holds it."""
    return json.loads(DjangoJSONEncoder().encode(value))


def _owned(model: Any, owner: str, user: User) -> Any:
    return model._default_manager.filter(**{owner: user.pk}).order_by("pk")


# --- What the archive holds -------------------------------------------------------------------
@pytest.mark.promise("P18")
def test_the_archive_holds_every_personal_field_of_every_owned_table(make_user, staff):
    ana = fill_every_table(make_user, "Ana", staff=staff)
    fill_every_table(make_user, "Bob", staff=staff)
    export = _export(ana.user)

    with _zip(export) as archive:
        names = set(archive.namelist())
        for part in archive_parts():
            json_name, csv_name = part.files
            assert {json_name, csv_name} <= names, part.table.label
            rows = json.loads(archive.read(json_name))
            with archive.open(csv_name) as raw:
                csv_rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
            columns = [c.column for c in part.columns]
            db_rows = list(_owned(part.model, part.table.owner or "pk", ana.user).values(*columns))
            assert db_rows, f"the test fills {part.table.label}"
            assert len(rows) == len(csv_rows) == len(db_rows), part.table.label
            for db_row, row, csv_row in zip(db_rows, rows, csv_rows, strict=True):
                assert list(row) == list(csv_row) == columns
                if part.table.label == "privacy.DataExport" and row["id"] == str(export.pk):
                    continue  # this export: exported while building, ready since
                for column in part.columns:
                    assert row[column.column] == _encoded(db_row[column.column]), (
                        part.table.label,
                        column.name,
                    )
        # Every personal field of the registry, except the secrets, is a key of its file.
        for table in TABLES:
            if table.owner is None:
                continue
            part = next(p for p in archive_parts() if p.table is table)
            keys = set(json.loads(archive.read(part.files[0]))[0])
            for name, rule in table.fields.items():
                if not rule.personal or rule.secret:
                    continue
                column = part.model._meta.get_field(name).attname
                assert column in keys, (table.label, name)
        assert "README.txt" in names


@pytest.mark.promise("P18")
def test_the_archive_holds_nothing_of_anyone_else_and_no_secret(make_user, staff):
    ana = fill_every_table(make_user, "Ana", staff=staff)
    bob = fill_every_table(make_user, "Bob", staff=staff)
    export = _export(ana.user)

    with _zip(export) as archive:
        everything = b"\n".join(archive.read(name) for name in archive.namelist())
    text = everything.decode("utf-8")
    for marker in ana.markers:
        assert marker in text, marker
    for marker in bob.markers:
        assert marker not in text, marker
    assert staff.email not in text
    assert staff.name not in text

    user = User.objects.get(pk=ana.user.pk)
    secrets = [
        user.password,
        ana.token,
        *ApiToken.objects.filter(user=user).values_list("token_hash", flat=True),
        *TwoFactor.objects.filter(user=user).values_list("secret", flat=True),
        *RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True),
        *CalendarFeed.objects.filter(user=user).values_list("token_hash", flat=True),
    ]
    for session_key, session_data in UserSession.objects.filter(user=user).values_list(
        "session_key", "session_data"
    ):
        secrets += [session_key, session_data]
    assert len(secrets) >= 16
    two_factor_rows = json.loads(archive_member(export, "accounts_twofactor.json"))
    assert [row["enabled_at"] for row in two_factor_rows] != [None]  # on, and since when
    assert "secret" not in two_factor_rows[0]
    for secret in secrets:
        assert secret
        assert secret.encode() not in everything
    assert b"argon2" not in everything


def test_the_secrets_are_flagged_in_the_registry_and_left_out_of_the_archive():
    assert secret_fields() == {
        "accounts.User": {"password"},
        "accounts.ApiToken": {"token_hash"},
        "accounts.PasswordResetToken": {"token_hash"},
        "accounts.UserSession": {"session_key", "session_data"},
        "accounts.TwoFactor": {"secret"},
        "accounts.RecoveryCode": {"code_hash"},
        "tracking.CalendarFeed": {"token_hash"},
    }
    for label, names in secret_fields().items():
        assert names <= set(BY_LABEL[label].fields), label
        part = next(p for p in archive_parts() if p.table.label == label)
        assert not names & {c.name for c in part.columns}, label
        assert names <= {left.name for left in part.left_out}, label


@pytest.mark.promise("P18")
def test_the_readme_explains_every_file_and_field_from_the_registry(make_user):
    ana = fill_every_table(make_user, "Ana")
    export = _export(ana.user)
    with _zip(export) as archive:
        readme = archive.read("README.txt").decode("utf-8")
        names = [n for n in archive.namelist() if n != "README.txt"]
    for name in names:
        assert name in readme, name
    assert f"{timezone.now():%Y-%m-%d}" in readme  # the export's date
    for part in archive_parts():
        assert part.table.holds[1:] in readme
        for column in part.columns:
            assert f"  - {column.column}\n" in readme
            assert column.rule.purpose[1:] in readme.replace("\n      ", " ")
    assert "Category: account. Kept: as long as the account exists; deleted with it." in (
        readme.replace("\n      ", " ")
    )
    assert "  - password: a secret: never exported" in readme
    assert "  - groups: in accounts_user_groups.json and accounts_user_groups.csv" in readme
    assert "Person Ana" not in readme  # the README describes, the files hold


def test_csv_cells_that_look_like_formulas_are_guarded(make_user):
    ana = fill_every_table(make_user, "Ana")
    export = _export(ana.user)
    with _zip(export) as archive:
        entries = json.loads(archive.read("tracking_timeentry.json"))
        table = archive.read("tracking_timeentry.csv").decode()
    assert "=Entry Ana" in [e["description"] for e in entries]
    assert "'=Entry Ana" in table


# --- Building: progress, twice, failure, memory ------------------------------------------------
def test_progress_rises_per_table_and_reaches_100(make_user, monkeypatch):
    user, _ = make_user()
    seen: list[int] = []
    real = export_archive._set_progress

    def record(export: DataExport, percent: int) -> None:
        real(export, percent)
        seen.append(DataExport.objects.get(pk=export.pk).progress)

    monkeypatch.setattr(export_archive, "_set_progress", record)
    export = _export(user)
    assert len(seen) == len(archive_parts())
    assert seen == sorted(seen)
    assert seen[0] > 0
    assert seen[-1] < 100
    assert export.progress == 100
    assert export.size_bytes == archive_path(export).stat().st_size > 0
    assert export.file_name == f"{export.pk}.zip"
    assert export.expires_at == export.finished_at + timedelta(days=7)


def test_building_twice_is_harmless(make_user):
    user, _ = make_user()
    export = start_export(user=user)
    build_export.enqueue(str(export.pk))  # a duplicate in the queue
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    made = archive_path(export).stat().st_mtime_ns
    assert build_archive(str(export.pk)) is False  # and once more, by hand
    assert archive_path(export).stat().st_mtime_ns == made
    assert [p.name for p in archive_path(export).parent.iterdir()] == [f"{export.pk}.zip"]


def test_unknown_or_malformed_ids_build_nothing():
    assert build_archive(str(uuid.uuid4())) is False
    assert build_archive("not-a-uuid") is False


def test_a_failure_leaves_no_file_and_marks_the_export_failed(make_user, monkeypatch, caplog):
    user, _ = make_user(email="fails@example.test")
    calls = 0
    real = export_archive._write_csv

    def fail_on_the_third_table(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        real(*args)

    monkeypatch.setattr(export_archive, "_write_csv", fail_on_the_third_table)
    export = start_export(user=user)
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    assert export.finished_at is not None
    assert list(archive_path(export).parent.iterdir()) == []
    assert "fails@example.test" not in caplog.text
    # A new export may be asked for at once, and works.
    monkeypatch.setattr(export_archive, "_write_csv", real)
    assert _export(user).pk != export.pk


def test_an_export_deleted_while_building_leaves_no_file(make_user, monkeypatch):
    user, _ = make_user()
    real = export_archive._write_json

    def delete_midway(archive: Any, part: Any, user_id: Any) -> int:
        if part.base == "tracking_project":
            DataExport.objects.filter(user_id=user_id).delete()
        return real(archive, part, user_id)

    monkeypatch.setattr(export_archive, "_write_json", delete_midway)
    export = start_export(user=user)
    run_queued_tasks()
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert list(archive_path(export).parent.iterdir()) == []


def test_delete_archive_file_removes_it_without_the_database(make_user):
    user, _ = make_user()
    export = _export(user)
    DataExport.objects.filter(pk=export.pk).delete()
    assert delete_archive_file(export) is True
    assert not archive_path(export).exists()
    assert delete_archive_file(export) is False


def _peak_memory_of_an_export(user: User) -> int:
    export = DataExport.objects.create(user=user)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        assert build_archive(str(export.pk)) is True
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _entries(user: User, count: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    TimeEntry.objects.bulk_create(
        (
            TimeEntry(
                user=user,
                description=f"Entry number {n} with a longer text to weigh something",
                start=start + timedelta(hours=n),
                end=start + timedelta(hours=n, minutes=30),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def test_memory_stays_bounded_whatever_the_account_size(make_user):
    # Both accounts span several chunks of rows (2,000 each): ten times the rows may not take
    # noticeably more memory (measured: ~2.3 MB for both; the whole list would be ~10x).
    small, _ = make_user(email="small@example.test")
    large, _ = make_user(email="large@example.test")
    _entries(small, 3_000)
    _entries(large, 30_000)
    small_peak = _peak_memory_of_an_export(small)
    large_peak = _peak_memory_of_an_export(large)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    large_export = DataExport.objects.get(user=large)
    with zipfile.ZipFile(archive_path(large_export)) as archive:
        assert len(json.loads(archive.read("tracking_timeentry.json"))) == 30_000


# --- Starting: one at a time, five a day ------------------------------------------------------
def test_a_second_start_returns_the_running_export(make_user):
    user, _ = make_user()
    first = start_export(user=user)
    assert start_export(user=user).pk == first.pk
    assert DataExport.objects.filter(user=user).count() == 1


def test_a_lost_export_does_not_block_a_new_one(make_user):
    user, _ = make_user()
    lost = DataExport.objects.create(
        user=user, status=DataExport.Status.BUILDING, created_at=timezone.now() - timedelta(hours=3)
    )
    fresh = start_export(user=user)
    assert fresh.pk != lost.pk
    lost.refresh_from_db()
    assert lost.status == DataExport.Status.FAILED


def test_no_more_than_five_exports_a_day(make_user):
    user, _ = make_user()
    with time_machine.travel(datetime(2026, 5, 1, 9, tzinfo=UTC), tick=False):
        for _ in range(5):
            export = start_export(user=user)
            DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED)
        with pytest.raises(RateLimited) as refused:
            start_export(user=user)
        assert refused.value.retry_after == 24 * 3600 + 1
    with time_machine.travel(datetime(2026, 5, 2, 9, 1, tzinfo=UTC), tick=False):
        assert start_export(user=user).status == DataExport.Status.QUEUED


# --- The pages ---------------------------------------------------------------------------------
@pytest.mark.promise("P18")
def test_the_account_card_starts_shows_progress_and_offers_the_download(make_user):
    user, password = make_user()
    client = sign_in(user, password)
    page = client.get("/account/").text
    assert 'id="export"' in page
    assert "Download your data" in page
    assert 'action="/account/export/"' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post("/account/export/")  # without JavaScript
    assert response.status_code == 302
    assert response["Location"] == "/account/#export"
    export = DataExport.objects.get(user=user)
    page = client.get("/account/").text
    assert '<progress id="export-progress" max="100" value="0">' in page
    assert "Refresh this page" in page
    assert f'hx-get="/account/export/{export.pk}/"' in page
    assert 'hx-trigger="every 1s"' in page

    DataExport.objects.filter(pk=export.pk).update(status="building", progress=40)
    fragment = client.get(f"/account/export/{export.pk}/", **HTMX).text
    assert 'value="40"' in fragment
    assert "40%" in fragment
    assert "every 1s" in fragment
    DataExport.objects.filter(pk=export.pk).update(status="queued", progress=0)

    run_queued_tasks()
    fragment = client.get(f"/account/export/{export.pk}/", **HTMX).text
    assert "hx-trigger" not in fragment  # no more polling
    assert f'href="/account/export/{export.pk}/download/"' in fragment
    export.refresh_from_db()
    assert "ZIP," in fragment
    assert "you can download it until" in fragment
    local_expiry = timezone.localtime(export.expires_at, timezone=user_zone(user))
    assert f"{local_expiry:%H:%M}" in fragment

    download = client.get(f"/account/export/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    today = timezone.localtime(export.finished_at, timezone=user_zone(user)).date()
    assert f'filename="routinie-export-{today:%Y-%m-%d}.zip"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def user_zone(user: User) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(user.timezone)


def test_the_htmx_start_answers_with_the_polling_fragment(make_user):
    user, password = make_user()
    client = sign_in(user, password)
    fragment = client.post("/account/export/", **HTMX)
    assert fragment.status_code == 200
    export = DataExport.objects.get(user=user)
    assert fragment.text.startswith('<div id="export-status"')
    assert f'hx-get="/account/export/{export.pk}/"' in fragment.text
    again = client.post("/account/export/", **HTMX)  # the running one, not a second
    assert again.status_code == 200
    assert DataExport.objects.filter(user=user).count() == 1


def test_the_page_refuses_a_sixth_export_a_day(make_user):
    user, password = make_user()
    client = sign_in(user, password)
    for _ in range(5):
        DataExport.objects.create(user=user, status=DataExport.Status.FAILED)
    refused = client.post("/account/export/", **HTMX)
    assert refused.status_code == 422
    assert int(refused["Retry-After"]) > 0
    assert "5 times a day" in refused.text
    response = client.post("/account/export/", follow=True)
    assert "5 times a day" in response.text
    assert DataExport.objects.filter(user=user).count() == 5


@pytest.mark.promise("P18")
def test_only_the_owner_can_see_or_download_an_export(make_user):
    ana, ana_password = make_user(email="ana@example.test")
    bob, bob_password = make_user(email="bob@example.test")
    export = _export(ana)
    bob_client = sign_in(bob, bob_password)
    assert bob_client.get(f"/account/export/{export.pk}/", **HTMX).status_code == 404
    assert bob_client.get(f"/account/export/{export.pk}/download/").status_code == 404
    anonymous = Client()
    response = anonymous.get(f"/account/export/{export.pk}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert (
        sign_in(ana, ana_password).get(f"/account/export/{export.pk}/download/").status_code == 200
    )


def test_no_500_on_odd_requests(make_user):
    user, password = make_user()
    client = sign_in(user, password)
    assert client.get("/account/export/").status_code == 405
    assert client.get(f"/account/export/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/account/export/{uuid.uuid4()}/download/").status_code == 404
    assert client.get("/account/export/not-a-uuid/").status_code == 404
    assert client.get("/account/export/not-a-uuid/download/").status_code == 404
    export = start_export(user=user)
    assert client.get(f"/account/export/{export.pk}/download/").status_code == 409
    assert client.get(f"/account/export/{export.pk}/").status_code == 302  # no htmx: the card


@pytest.mark.promise("P18")
def test_an_expired_or_purged_archive_is_gone(make_user):
    user, password = make_user()
    export = _export(user)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        client = sign_in(user, password)  # a week later: a new session
        response = client.get(f"/account/export/{export.pk}/download/")
        assert response.status_code == 410
        assert "expired" in response.text
        assert "7 days" in response.text
        page = client.get("/account/").text
        assert "Your last archive was deleted on" in page
        assert "Export my data" in page
    delete_archive_file(export)  # the purge job, before the 7 days are over
    response = sign_in(user, password).get(f"/account/export/{export.pk}/download/")
    assert response.status_code == 410
    assert "deleted" in response.text


def test_a_failed_export_says_so_and_offers_a_new_one(make_user):
    user, password = make_user()
    DataExport.objects.create(user=user, status=DataExport.Status.FAILED)
    page = sign_in(user, password).get("/account/").text
    assert "could not be built" in page
    assert "Export my data" in page


# --- An account's archives leave the disk with it, however it is deleted ---------------------
# (its own erasure, the purge of sign-ups never confirmed, whose rule in accounts cannot know of
# exports, or staff in the admin: privacy/signals.py)
def test_erasing_the_account_removes_its_archive(make_user):
    user, password = make_user()
    other, _ = make_user()
    archive, kept = archive_path(_export(user)), archive_path(_export(other))
    assert archive.exists()
    erase_account(user=user, password=password)
    assert not archive.exists()
    assert kept.exists()


@pytest.mark.promise("P20")
def test_purging_a_sign_up_never_confirmed_removes_its_archive(make_user):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        unconfirmed, _ = make_user(confirmed=False)
        archive = archive_path(_export(unconfirmed))
        assert archive.exists()
        clock.shift(timedelta(days=31))
        assert purge()["sign-ups never confirmed"] == 1
    assert not User.objects.filter(pk=unconfirmed.pk).exists()
    assert not archive.exists()


def test_deleting_the_account_in_the_admin_removes_its_archive(make_user, superuser, client):
    user, _ = make_user()
    archive = archive_path(_export(user))
    client.force_login(superuser)
    page = client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not archive.exists()
