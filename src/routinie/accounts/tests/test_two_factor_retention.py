"""A two-factor set-up begun and never confirmed is purged after a day (P20); one that was
confirmed stays as long as two-factor sign-in is on."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.utils import timezone
from tests.personas import PASSWORD

from routinie.accounts import two_factor
from routinie.accounts.models import TwoFactor
from routinie.privacy.retention import purge

pytestmark = pytest.mark.django_db


@pytest.mark.promise("P20")
def test_a_set_up_never_confirmed_is_purged_after_a_day(make_user):
    left, _ = make_user()
    confirmed, _ = make_user()
    two_factor.begin(user=left, password=PASSWORD)
    setup = two_factor.begin(user=confirmed, password=PASSWORD)
    two_factor.confirm(user=confirmed, code=pyotp.TOTP(setup.secret).now())

    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        assert purge()["two-factor set-ups never confirmed"] == 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert purge()["two-factor set-ups never confirmed"] == 1
    assert not TwoFactor.objects.filter(user=left).exists()
    assert two_factor.is_on(confirmed)
