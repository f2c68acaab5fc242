"""Every way an account is deleted over a live server is recorded in the erasure journal (the
account's id and the time only), so a restore of an older backup erases it again (P18): the
person on the page and through `DELETE /api/v1/me`, staff in the admin (one, or several at
once); and the admin's deletion leaves no change-log line naming the person."""

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry

from routinie.accounts.models import User
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journal(settings, tmp_path: Path) -> Path:
    settings.ERASURE_JOURNAL = tmp_path / "erasure-journal"
    return settings.ERASURE_JOURNAL


def _journaled(journal: Path) -> list[str]:
    return [line.split(" ")[1] for line in journal.read_text().splitlines()]


@pytest.mark.promise("P18")
def test_the_person_deleting_their_account_is_journaled_from_the_page_and_the_api(site, journal):
    web = site()
    web.sign_up("Ana", "ana@example.test")
    ana = str(User.objects.get(email="ana@example.test").pk)
    done = web.submit("/account/delete/", "/account/delete/", {"password": STRONG_PASSWORD})
    assert done.status_code == 200

    app = site()
    api_sign_up(app, "Ben", "ben@example.test")
    ben = str(User.objects.get(email="ben@example.test").pk)
    token = api_token(app, "ben@example.test")
    wrong = app.api("DELETE", "/me", token=token, json={"password": "nope-1"})
    assert wrong.status_code == 422
    assert _journaled(journal) == [ana], "a refused erasure is not journaled"
    assert app.api(
        "DELETE", "/me", token=token, json={"password": STRONG_PASSWORD}
    ).status_code == (204)
    assert _journaled(journal) == [ana, ben]
    assert "@" not in journal.read_text()


@pytest.mark.promise("P18")
def test_staff_deleting_accounts_in_the_admin_is_journaled_and_leaves_no_line_naming_them(
    site, make_user, journal
):
    wes, password = make_user(name="Wes Staff", email="wes@wesrom.test", superuser=True)
    ana, _ = make_user(name="Ana Pop")
    ben, _ = make_user(name="Ben Rus")
    cy, _ = make_user(name="Cy Dan")
    staff = site()
    assert staff.sign_in(wes.email, password).status_code == 302
    change = f"/admin/accounts/user/{ana.pk}/change/"
    edited = staff.submit(
        change,
        change,
        {"name": "Ana Popa", "email": ana.email, "timezone": "UTC", "is_active": "on"},
    )
    assert edited.status_code == 302
    assert LogEntry.objects.filter(object_id=str(ana.pk)).exists()

    delete = f"/admin/accounts/user/{ana.pk}/delete/"
    assert staff.submit(delete, delete, {"post": "yes"}).status_code == 302
    both = staff.submit(
        "/admin/accounts/user/",
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [str(ben.pk), str(cy.pk)], "post": "yes"},
    )
    assert both.status_code == 302
    assert list(User.objects.values_list("name", flat=True)) == ["Wes Staff"]
    assert _journaled(journal)[0] == str(ana.pk)
    assert sorted(_journaled(journal)[1:]) == sorted([str(ben.pk), str(cy.pk)])
    named = [e.object_repr for e in LogEntry.objects.all()]
    assert not [r for r in named if "Ana" in r or "Ben" in r or "Cy" in r], named
