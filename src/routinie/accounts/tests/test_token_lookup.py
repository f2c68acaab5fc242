"""A bearer token is one indexed lookup per request; its last use is written at most once a
minute; a revoked token, or a deactivated person's, stops working at once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.accounts.models import ApiToken, User
from routinie.accounts.selectors import user_for_token
from routinie.accounts.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user):
    user, _ = make_user(timezone_name="Asia/Tokyo")
    record, secret = create_api_token(user=user, label="laptop")
    return user, record, secret


def test_the_token_gives_its_person_whole(token):
    user, _, secret = token
    found = user_for_token(secret)
    assert isinstance(found, User)
    assert found.pk == user.pk
    assert (found.email, found.name, found.timezone) == (user.email, user.name, "Asia/Tokyo")
    assert found.created_at == user.created_at  # times come back as aware datetimes
    assert found.is_authenticated


def test_one_query_and_one_write_a_minute(token, django_assert_num_queries):
    _, record, secret = token
    with django_assert_num_queries(2):  # never used: the lookup, then the last-use write
        user_for_token(secret)
    first_use = ApiToken.objects.get(pk=record.pk).last_used_at
    assert first_use is not None
    with django_assert_num_queries(1):
        user_for_token(secret)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        with django_assert_num_queries(2):
            user_for_token(secret)
        assert ApiToken.objects.get(pk=record.pk).last_used_at > first_use


@pytest.mark.parametrize("secret", ["", "rt_unknown", "x" * 201, "' OR 1=1 --"])
def test_anything_else_finds_no_one(token, secret):
    assert user_for_token(secret) is None


def test_revoked_or_deactivated_stops_at_once(token):
    user, record, secret = token
    assert user_for_token(secret) is not None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert user_for_token(secret) is None
    User.objects.filter(pk=user.pk).update(is_active=True)
    revoke_api_token(user=user, token_id=str(record.pk))
    assert user_for_token(secret) is None
