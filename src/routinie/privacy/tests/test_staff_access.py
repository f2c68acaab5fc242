"""Every look by staff at a user's personal data in the admin is logged for that user."""

import pytest
from django.test import Client

from routinie.privacy.models import StaffAccess

pytestmark = pytest.mark.django_db


def test_opening_an_account_or_listing_accounts_in_the_admin_is_logged(superuser, ada):
    staff, ana = superuser, ada
    client = Client()
    client.force_login(staff)
    assert client.get(f"/admin/accounts/user/{ana.pk}/change/").status_code == 200
    assert StaffAccess.objects.filter(user=ana, staff=staff).count() == 1
    assert client.get("/admin/accounts/user/").status_code == 200
    assert StaffAccess.objects.filter(user=ana, staff=staff).count() == 2
    assert StaffAccess.objects.filter(user=staff).count() == 1, "the list showed staff too"
