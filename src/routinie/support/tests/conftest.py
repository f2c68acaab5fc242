from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


@pytest.fixture
def person(make_user: Any) -> Any:
    """A factory of people whose e-mail address is confirmed."""

    def factory(name: str = "Ana Pop", email: str = "ana@example.test") -> Any:
        user, _ = make_user(name=name, email=email)
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        return user

    return factory


@pytest.fixture
def ana(person: Any) -> Any:
    return person()


@pytest.fixture
def staff(make_user: Any) -> Any:
    user, _ = make_user(name="Sam Staff", email="sam@wesrom.test")
    user.is_staff = True
    user.email_confirmed_at = timezone.now()
    user.save()
    return user


@pytest.fixture
def client_of() -> Any:
    def signed_in(user: Any) -> Client:
        client = Client(HTTP_USER_AGENT=BROWSER)
        client.force_login(user)
        return client

    return signed_in
