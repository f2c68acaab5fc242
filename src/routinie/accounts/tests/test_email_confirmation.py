"""Sign-up e-mails a confirmation link; unconfirmed sign-ups are purged after their period."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from tests.plugin import run_queued_tasks

from routinie.accounts.models import User
from routinie.accounts.services import update_profile
from routinie.privacy.retention import purge

pytestmark = pytest.mark.django_db(transaction=True)
LINK = re.compile(r"http://[^/\s]+(/confirm-email/[^/\s]+/)")


def _link_for(address: str) -> str:
    messages = [m for m in mail.outbox if m.to == [address] and "Confirm" in m.subject]
    assert messages, f"no confirmation e-mail to {address}"
    return LINK.search(messages[-1].body).group(1)


def test_the_link_in_the_sign_up_email_confirms_the_address(make_user):
    user, _password = make_user(confirmed=False)
    run_queued_tasks()
    client = Client()
    client.force_login(user)
    assert "Please confirm your e-mail address" in client.get("/today/").content.decode()
    page = client.get(_link_for(user.email))
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert "Please confirm" not in client.get("/today/").content.decode()


def test_a_forged_or_stale_link_is_refused_clearly(make_user):
    user, _ = make_user(confirmed=False)
    run_queued_tasks()
    link = _link_for(user.email)
    assert Client().get(link[:-5] + "xxxx/").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        stale = Client().get(link)
    assert stale.status_code == 400
    assert "expired" in stale.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_a_new_address_needs_confirming_again(make_user):
    user, password = make_user(confirmed=True)  # the default, named: the point is losing it
    update_profile(user=user, email="new.address@example.test", current_password=password)
    assert user.email_confirmed_at is None
    run_queued_tasks()
    assert _link_for("new.address@example.test")


@pytest.mark.promise("P20")
def test_sign_ups_never_confirmed_are_purged_after_their_period(make_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _unconfirmed, _ = make_user(confirmed=False)
        confirmed, _ = make_user()
        staff, _ = make_user(confirmed=False, staff=True)
        clock.shift(timedelta(days=29, hours=23))
        assert purge()["sign-ups never confirmed"] == 0
        clock.shift(timedelta(hours=2))
        late, _ = make_user(confirmed=False)
        assert purge()["sign-ups never confirmed"] == 1
    assert set(User.objects.values_list("pk", flat=True)) == {confirmed.pk, staff.pk, late.pk}


def test_the_confirmation_page_does_not_also_ask_to_confirm(make_user):
    user, _ = make_user(confirmed=False)
    run_queued_tasks()
    client = Client()
    client.force_login(user)
    page = client.get(_link_for(user.email)).content.decode()
    assert "your address is confirmed" in page
    assert "Please confirm" not in page, "one situation, one message"


def test_a_new_account_is_greeted_once_in_the_banner_that_asks_to_confirm():
    client = Client()
    response = client.post(
        "/signup/",
        {"name": "Ana Pop", "email": "ana@example.test", "password": "tidy-Lantern-42"},
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/today/"
    first = client.get("/today/").content.decode()
    assert first.count("Welcome to Routinie, Ana Pop! Please confirm your e-mail address") == 1
    assert "Welcome back" not in first
    later = client.get("/today/").content.decode()
    assert "Welcome to Routinie" not in later
    assert "Please confirm your e-mail address" in later
