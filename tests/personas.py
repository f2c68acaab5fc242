"""The people of the test suite, the same in every app (registered by tests/plugin.py).

- `make_user(...)` (the fixture; `new_user`, the plain function behind it) signs a person up through accounts' own service (the policy in force
  accepted) and returns `(user, password)`. Everyone it makes has the same defaults: the
  e-mail address confirmed, time zone UTC, the password PASSWORD, a fresh address. A test that
  needs someone else says so through the arguments: `confirmed=False` for a sign-up never
  confirmed, `timezone_name=...`, `staff=True`, `superuser=True` (the admin, every permission).
- `ada`: a signed-up person; `ben`: another one (owner-scoping tests: Ben never sees Ada's data).
- `staff`: a staff member (support, the staff statistics); `superuser`: a staff member who may
  use the admin with every permission.
- `bare_user(...)`: an account row with the same defaults, without the sign-up, for the tests
  that count rows and tasks.
- `client_of(user)`: a Django test client signed in as `user`, from a browser.

Passwords are hashed with the suite's fast hasher (tests/settings.py); the tests that prove how
passwords are stored ask for `production_password_hashing` first.
"""

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from routinie.accounts.models import User

PASSWORD = "tidy-Lantern-42"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"

MakeUser = Callable[..., tuple[User, str]]


def new_user(
    name: str = "Ana Pop",
    email: str = "",
    password: str = PASSWORD,
    *,
    timezone_name: str = "UTC",
    confirmed: bool = True,
    staff: bool = False,
    superuser: bool = False,
) -> User:
    """Sign a person up as the sign-up form does, then give them what the arguments say."""
    from routinie.accounts.services import sign_up

    user = sign_up(
        name=name,
        email=email or f"person-{next(_numbers)}@example.test",
        password=password,
        accept_policy_version=1,
        timezone_name=timezone_name,
    )
    changes: dict[str, Any] = {}
    if confirmed:
        changes["email_confirmed_at"] = timezone.now()
    if staff or superuser:
        changes["is_staff"] = True
    if superuser:
        changes["is_superuser"] = True
    if changes:
        User.objects.filter(pk=user.pk).update(**changes)
        user.refresh_from_db()
    return user


def bare_user(
    name: str = "Ana Pop",
    email: str = "",
    *,
    timezone_name: str = "UTC",
    confirmed: bool = True,
    staff: bool = False,
    superuser: bool = False,
) -> User:
    """An account row with the same defaults as `new_user` but no sign-up around it: no
    password, no policy acceptance, nothing queued. For the tests that count rows and tasks
    (the statistics)."""
    return User.objects.create(
        name=name,
        email=email or f"person-{next(_numbers)}@example.test",
        timezone=timezone_name,
        email_confirmed_at=timezone.now() if confirmed else None,
        is_staff=staff or superuser,
        is_superuser=superuser,
    )


_numbers = itertools.count(1)


@pytest.fixture
def make_user(db: None) -> MakeUser:
    """A factory of people (see the module's docstring); returns (user, password)."""

    def factory(
        name: str = "Ana Pop", password: str = PASSWORD, **options: Any
    ) -> tuple[User, str]:
        return new_user(name, password=password, **options), password

    return factory


@pytest.fixture
def ada(make_user: MakeUser) -> User:
    """A signed-up person."""
    return make_user(name="Ada Pop", email="ada@example.test")[0]


@pytest.fixture
def ben(make_user: MakeUser) -> User:
    """Another signed-up person, for the tests that prove one person never reaches another's."""
    return make_user(name="Ben Rus", email="ben@example.test")[0]


@pytest.fixture
def staff(make_user: MakeUser) -> User:
    """A staff member (not a superuser)."""
    return make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)[0]


@pytest.fixture
def superuser(make_user: MakeUser) -> User:
    """A staff member who may use the admin with every permission."""
    return make_user(name="Wes Staff", email="wes@wesrom.test", superuser=True)[0]


@pytest.fixture
def client_of() -> Callable[[User], Client]:
    """A test client signed in as the given user, from a browser."""

    def signed_in(user: User) -> Client:
        client = Client(HTTP_USER_AGENT=BROWSER)
        client.force_login(user)
        return client

    return signed_in
