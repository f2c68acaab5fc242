"""`DELETE /api/v1/me` (privacy's operation on accounts' `/me` router) erases the account."""

import pytest
from django.test import Client

from routinie.accounts.models import User

pytestmark = pytest.mark.django_db


def test_delete_me_with_a_wrong_password_erases_nothing_and_with_the_right_one_everything(
    make_user,
):
    user, password = make_user()
    client = Client()
    client.force_login(user)
    refused = client.delete("/api/v1/me", {"password": "wrong"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "wrong_password"
    assert User.objects.filter(pk=user.pk).exists()
    assert client.get("/api/v1/me").status_code == 200, "GET /me still answers beside DELETE"
    erased = client.delete("/api/v1/me", {"password": password}, content_type="application/json")
    assert erased.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
