"""The password-age reminder: a banner and one e-mail through the task queue, never forced (P13)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from tests.plugin import run_queued_tasks

from routinie.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _age_password(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=days)
    )


def _sign_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post("/login/", {"email": email, "password": password})
    assert response.status_code == 302
    return client


def _reminders() -> list:
    return [m for m in mail.outbox if "password" in m.subject]


@pytest.mark.promise("P13")
def test_an_old_password_shows_the_banner_and_sends_one_email(make_user):
    user, password = make_user()
    _age_password(user, 181)
    client = _sign_in(user.email, password)
    page = client.get("/account/")
    assert "Your password is over 180 days old" in page.text
    assert page.status_code == 200  # a reminder, not a forced change

    run_queued_tasks()
    assert len(_reminders()) == 1
    assert _reminders()[0].to == [user.email]
    assert "180 days" in _reminders()[0].subject
    assert "Wesrom Corporation" in _reminders()[0].body

    _sign_in(user.email, password)
    run_queued_tasks()
    assert len(_reminders()) == 1, "one reminder per period, not one per sign-in"


@pytest.mark.promise("P13")
def test_a_fresh_password_shows_no_reminder(make_user):
    user, password = make_user()
    _age_password(user, 179)
    client = _sign_in(user.email, password)
    assert "days old" not in client.get("/account/").text
    run_queued_tasks()
    assert _reminders() == []


def test_changing_the_password_clears_the_reminder(make_user):
    user, password = make_user()
    _age_password(user, 200)
    client = _sign_in(user.email, password)
    response = client.post(
        "/account/password/",
        {"current_password": password, "new_password": "Quiet-harbour-73"},
    )
    assert response.status_code == 302
    assert "days old" not in client.get("/account/").text
